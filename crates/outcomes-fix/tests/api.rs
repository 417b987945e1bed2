//! The public API on small, named cases: errors, selection, and the framing guard.

use outcomes_csv::SyntaxErrorKind;
use outcomes_fix::{plan, FixError, FixKind, FixOptions, FixSet};

fn only(kinds: &[FixKind]) -> FixOptions {
    FixOptions { fixes: FixSet::only(kinds.iter().copied()), ..FixOptions::default() }
}

fn fix(input: &[u8]) -> Vec<u8> {
    plan(input, &FixOptions::default()).expect("fixable").output
}

#[test]
fn empty_and_header_only_files_are_left_alone() {
    for input in [&b""[..], b"title,vendor_guid,object_type\n", b"\xEF\xBB\xBF"] {
        let fixed = plan(input, &FixOptions::default()).expect("fixable");
        assert_eq!(fixed.output, input);
        assert!(fixed.fixes.is_empty());
    }
}

#[test]
fn an_unrepairable_syntax_error_is_reported_where_it_is_in_the_input() {
    // The `\n` on line 2 is repaired to `\r\n` (one byte more) before the reader finds the
    // stray quote; its offset is given in the input.
    let input = b"title,vendor_guid,object_type\r\nMath,math,group\nA \"b\",c,outcome\r\n";
    let err = plan(input, &FixOptions::default()).expect_err("stray quote");
    let FixError::Syntax(e) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(e.kind, SyntaxErrorKind::StrayQuote);
    assert_eq!(input[e.position.offset as usize], b'"');
    assert_eq!((e.position.line, e.position.column), (3, 3));
    assert!(err.to_string().contains("cannot be repaired safely"), "{err}");
}

#[test]
fn unclosed_quotes_and_text_after_quotes_are_errors() {
    for (input, kind) in [
        (&b"title,vendor_guid,object_type\n\"Math,math,group\n"[..], SyntaxErrorKind::UnclosedQuote),
        (b"title,vendor_guid,object_type\n\"Math\"s,math,group\n", SyntaxErrorKind::TextAfterQuote),
    ] {
        let err = plan(input, &FixOptions::default()).expect_err("syntax error");
        assert_eq!(err.syntax_error().kind, kind);
    }
}

#[test]
fn mixed_line_endings_are_an_error_when_their_fix_is_not_selected() {
    let input = b"title,vendor_guid,object_type\r\nMath,math,Group\n";
    let mut options = FixOptions::default();
    options.fixes.remove(FixKind::LineEndings);
    let err = plan(input, &options).expect_err("mixed line endings");
    assert!(matches!(err, FixError::LineEndingsNotSelected(_)), "{err:?}");
}

#[test]
fn line_endings_are_not_repaired_when_that_changes_the_separator() {
    // The first line ends in a lone \r, so Canvas counts separators up to the first \n: two `;`
    // and four `,`. Without that \n it would count the whole file: six `;`, four `,`.
    let input = b"t;v;o\ra,b,c,d,e\nf;g;h;i;j\r";
    let err = plan(input, &FixOptions::default()).expect_err("framing");
    assert!(matches!(err, FixError::LineEndingsChangeFraming(_)), "{err:?}");
}

#[test]
fn a_fix_that_would_change_the_separator_is_refused_as_a_whole() {
    // Three `,` and five `;` in the first line; dropping the three empty cells leaves two `;`.
    let input = b"\"t,v,o,p\";vendor_guid;object_type;;;\nx;y;group;;;\n";
    let fixed = plan(input, &only(&[FixKind::TrailingHeaderCells])).expect("fixable");
    assert_eq!(fixed.output, input);
    assert!(fixed.fixes.is_empty());
    assert_eq!(fixed.refused.len(), 1);
    assert_eq!(fixed.refused[0].kind, FixKind::TrailingHeaderCells);
    assert!(fixed.refused[0].message.contains("separator"), "{:?}", fixed.refused);
}

#[test]
fn only_selected_fixes_apply() {
    let input = b"title,vendor_guid,object_type,parent_guids\nAdd,add,outcome,math\nMath,math,Group,\n";
    let fixed = plan(input, &only(&[FixKind::ParentsFirst])).expect("fixable");
    // `Group` is not a group to Canvas, so there is nothing to move the outcome below.
    assert_eq!(fixed.output, input);
    assert_eq!(fixed.refused.len(), 1);
    assert!(fixed.refused[0].message.contains("object_type \"Group\""), "{}", fixed.refused[0]);
    let fixed = plan(input, &only(&[FixKind::ObjectType])).expect("fixable");
    assert_eq!(fixed.output, b"title,vendor_guid,object_type,parent_guids\nAdd,add,outcome,math\nMath,math,group,\n");
}

#[test]
fn quoting_bom_and_separator_are_kept() {
    let input = "\u{FEFF}\"title\";\"vendor_guid\";\"object_type\";\"parent_guids\"\r\n\"Add\";\"add\";\"outcome\";\"math\"\r\n\"Math\";\"math\";\" Group\";\"\"\r\n";
    let output = fix(input.as_bytes());
    assert_eq!(
        String::from_utf8(output).expect("utf-8"),
        "\u{FEFF}\"title\";\"vendor_guid\";\"object_type\";\"parent_guids\"\r\n\"Math\";\"math\";\"group\";\"\"\r\n\"Add\";\"add\";\"outcome\";\"math\"\r\n"
    );
}

#[test]
fn a_moved_last_row_gets_a_line_break_and_the_new_last_row_none() {
    let input = b"title,vendor_guid,object_type,parent_guids\nAdd,add,outcome,math\nMath,math,group,";
    assert_eq!(fix(input), b"title,vendor_guid,object_type,parent_guids\nMath,math,group,\nAdd,add,outcome,math");
}

#[test]
fn groups_are_looked_up_in_their_course() {
    // c1 is a course group whose parent must be in course 5; the account group of the same
    // name does not count, the course one (further down) does, and only it moves.
    let input = b"title,vendor_guid,object_type,parent_guids,course_id\n\
        Unit,c1,group,top,5\n\
        Top,top,group,,\n\
        Top 5,top,group,,5\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    assert_eq!(
        fixed.output,
        b"title,vendor_guid,object_type,parent_guids,course_id\n\
        Top 5,top,group,,5\n\
        Unit,c1,group,top,5\n\
        Top,top,group,,\n"
            .to_vec()
    );
    assert!(fixed.refused.is_empty(), "{:?}", fixed.refused);
}

#[test]
fn the_first_of_two_same_named_groups_stays_first() {
    // Canvas imports the first `math` and rejects the second as a duplicate: the reorder must
    // not swap them, so `Math A` is moved up, and `Math B` with it.
    let input = b"title,vendor_guid,object_type,parent_guids\n\
        Add,add,outcome,math\n\
        Math A,math,group,\n\
        Math B,math,group,\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    let text = String::from_utf8(fixed.output).expect("utf-8");
    let a = text.find("Math A").expect("a");
    let b = text.find("Math B").expect("b");
    let add = text.find("Add").expect("add");
    assert!(a < add && a < b, "{text}");
}

#[test]
fn a_group_rejected_for_another_reason_does_not_count_as_a_parent() {
    // The first `math` has a calculation method, which groups may not have: Canvas rejects it,
    // so the outcome needs the second one.
    let input = b"title,vendor_guid,object_type,parent_guids,calculation_method\n\
        Math,math,group,,highest\n\
        Add,add,outcome,math,\n\
        Math again,math,group,,\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    assert_eq!(
        fixed.output,
        b"title,vendor_guid,object_type,parent_guids,calculation_method\n\
        Math,math,group,,highest\n\
        Math again,math,group,,\n\
        Add,add,outcome,math,\n"
            .to_vec()
    );
}

#[test]
fn displays_name_the_place_and_the_fix() {
    let input = b"title,vendor_guid,object_type\nMath,math,Group\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    assert_eq!(fixed.fixes[0].to_string(), "line 2 (row 2): object_type \"Group\" is now `group` [OL020 object-type]");
}

#[test]
fn header_names_are_fixed_only_when_unambiguous() {
    let input = b"Title,Vendor GUID,object-type,Ratings,,\nMath,math,group,,,\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    assert_eq!(fixed.output, b"title,vendor_guid,object_type,ratings,,\nMath,math,group,,,\n");
    // Which of the two is `title`? Left for a person.
    let input = b"title,Title,vendor_guid,object_type\nMath,M,math,group\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    assert_eq!(fixed.output, input);
    assert_eq!(fixed.refused.len(), 1);
    assert!(fixed.refused[0].message.contains("cell 1 is already `title`"), "{}", fixed.refused[0]);
    // `Ratings` followed by a named column would turn that column into ratings.
    let input = b"title,vendor_guid,Ratings,object_type\nMath,math,,group\n";
    let fixed = plan(input, &FixOptions::default()).expect("fixable");
    assert_eq!(fixed.output, input);
    assert_eq!(fixed.refused[0].kind, FixKind::HeaderNames);
}

#[test]
fn short_rows_are_padded_to_the_ratings_column() {
    let input = b"title,vendor_guid,object_type,mastery_points,ratings,\nAdd,add,outcome\n";
    assert_eq!(fix(input), b"title,vendor_guid,object_type,mastery_points,ratings,\nAdd,add,outcome,\n");
}
