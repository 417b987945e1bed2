//! Ruby behaviour that Canvas's messages and number parsing depend on, reimplemented exactly.
//!
//! Canvas builds its messages with Ruby's `String#inspect`, `Array#inspect` and `Float#to_s`, and
//! reads numbers with `Float()` and `String#to_i`. Each is ported here with its own tests, so the
//! rules can render Canvas's text byte for byte.

pub mod blank;
pub mod float;
pub mod float_to_s;
pub mod inspect;
mod print_table;
pub mod to_i;

#[cfg(test)]
mod differential_tests;

pub use blank::{
    has_ruby_space, is_blank_binary, is_blank_utf8, is_ruby_space, is_unicode_white_space, ruby_split_uniq,
    ruby_split_whitespace, ruby_strip, ruby_strip_utf8,
};
pub use float::parse_float;
pub use float_to_s::float_to_s;
pub use inspect::{inspect_array, inspect_binary, inspect_utf8};
pub use to_i::{to_i, RubyInt};
