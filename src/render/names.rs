// Names of the functions and filters versus registers with Tera. Shared with
// build.rs, which checks the embedded theme's templates against them.

/// Template functions.
pub const FUNCTIONS: &[&str] = &["load_data"];

/// Template filters.
pub const FILTERS: &[&str] = &["markdown", "date_text"];
