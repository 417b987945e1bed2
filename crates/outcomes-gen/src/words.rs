//! The vocabulary of generated files: subjects, group and outcome titles, descriptions and rating
//! tiers, in the style of a district's standards-based outcome bank.
//!
//! Several entries hold commas, quotes or non-ASCII characters on purpose, so that the files
//! exercise quoting, escaping and character counting the way real exports do.

/// Top-level subjects: the title of a depth-1 group and the prefix of its guids.
pub(crate) const SUBJECTS: [(&str, &str); 10] = [
    ("Mathematics", "math"),
    ("English Language Arts", "ela"),
    ("Science", "sci"),
    ("Social Studies", "soc"),
    ("World Languages: Français, Español", "wl"),
    ("Visual Arts", "art"),
    ("Physical Education & Health", "pe"),
    ("Computer Science", "cs"),
    ("Music", "mus"),
    ("Career and Technical Education", "cte"),
];

/// Depth-2 groups: grade bands.
pub(crate) const GRADES: [&str; 14] = [
    "Kindergarten",
    "Grade 1",
    "Grade 2",
    "Grade 3",
    "Grade 4",
    "Grade 5",
    "Grade 6",
    "Grade 7",
    "Grade 8",
    "High School: Foundations",
    "High School: Advanced",
    "Grades 9–10",
    "Grades 11–12",
    "AP®",
];

/// Depth-3 groups: domains.
pub(crate) const DOMAINS: [&str; 16] = [
    "Operations and Algebraic Thinking",
    "Number and Operations in Base Ten",
    "Number and Operations—Fractions",
    "Measurement and Data",
    "Geometry",
    "Ratios and Proportional Relationships",
    "Reading: Literature",
    "Reading: Informational Text",
    "Writing",
    "Speaking and Listening",
    "Ecosystems: Interactions, Energy, and Dynamics",
    "Matter and Its Interactions",
    "Earth's Place in the Universe",
    "Civics, Government, and Citizenship",
    "Creating, Performing, and Responding",
    "Algorithms and Programming",
];

/// Depth-4 groups: cluster headings.
pub(crate) const CLUSTERS: [&str; 10] = [
    "Represent and solve problems",
    "Understand properties and relationships",
    "Key ideas and details",
    "Craft and structure",
    "Integration of knowledge and ideas",
    "Text types and purposes",
    "Research to build and present knowledge",
    "Analyze and interpret data",
    "Develop and use models",
    "Construct explanations, design solutions",
];

/// Verbs that open an outcome's title.
pub(crate) const VERBS: [&str; 16] = [
    "Analyze",
    "Explain",
    "Compare",
    "Construct",
    "Evaluate",
    "Interpret",
    "Solve",
    "Describe",
    "Apply",
    "Identify",
    "Model",
    "Summarize",
    "Justify",
    "Classify",
    "Represent",
    "Investigate",
];

/// What an outcome is about.
pub(crate) const OBJECTS: [&str; 24] = [
    "proportional relationships",
    "linear equations in one variable",
    "the central idea of a text",
    "a narrative's point of view",
    "patterns in data",
    "the structure of an argument",
    "fractions as numbers on the number line",
    "the author’s use of figurative language",
    "energy transfer in ecosystems",
    "chemical reactions",
    "primary and secondary sources",
    "the causes of a historical event",
    "a simple algorithm",
    "the properties of operations",
    "area and perimeter",
    "rhythm, melody, and harmony",
    "the water cycle",
    "forces and motion",
    "a café's weekly budget",
    "claims, evidence, and reasoning",
    "Schrödinger's thought experiment",
    "naïve and expert explanations",
    "the effects of the sun's angle (°C readings)",
    "mathematical expressions with π",
];

/// What an outcome title may end with.
pub(crate) const QUALIFIERS: [&str; 8] = [
    "",
    "",
    " in real-world problems",
    " using models, drawings, and equations",
    " with grade-level text",
    " across multiple sources",
    " to make and test predictions",
    ", citing evidence",
];

/// Opening clauses of description sentences.
pub(crate) const OPENINGS: [&str; 10] = [
    "Students",
    "Learners",
    "With guidance and support, students",
    "Independently, students",
    "Working in small groups, students",
    "By the end of the unit, students",
    "Using grade-appropriate tools, students",
    "In writing and in discussion, students",
    "Given a task, students",
    "When prompted, students",
];

/// Endings of description sentences.
pub(crate) const ENDINGS: [&str; 12] = [
    "and explain their reasoning to peers.",
    "using precise, domain-specific vocabulary.",
    "and check whether the answer is reasonable.",
    "in contexts drawn from everyday life, school, and the community.",
    "with increasing independence, accuracy, and fluency.",
    "by drawing on evidence from more than one source.",
    "and revise their work in response to feedback.",
    "in at least two different representations.",
    "while attending to precision (units, labels, and scales).",
    "and connect it to prior learning—résumé-style portfolios welcome.",
    "at a ½-page or longer written response.",
    "and reflect on what strategies worked best.",
];

/// Phrases quoted inside descriptions, which makes the writer double the quotes.
pub(crate) const QUOTED: [&str; 8] = [
    "show your work",
    "the main idea",
    "I can",
    "what if",
    "making sense of problems",
    "think-pair-share",
    "exit ticket",
    "claim, evidence, reasoning",
];

/// Rating tier descriptions, indexed by the number of tiers (3, 4 or 5).
pub(crate) const TIER_NAMES: [&[&str]; 3] = [
    &["Proficient", "Developing", "Beginning"],
    &["Exceeds Mastery", "Meets Mastery", "Near Mastery, with support", "Well Below Mastery"],
    &["Exceeds Expectations", "Mastery", "Near Mastery", "Below Mastery", "No Evidence \"yet\""],
];

/// The top of the rating scale.
pub(crate) const SCALE_TOPS: [u32; 5] = [3, 4, 5, 10, 100];
