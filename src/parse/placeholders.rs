//! The idea skeleton `trellis new idea` writes, kept here so that the check can
//! tell a field still holding its prompt from one a mentor filled in: a
//! proposal published with "Your Name (@github-handle, …)" as its mentor
//! helps nobody.

/// The skeleton's fields in order: the label and the prompt it starts with
/// (empty where the field starts empty).
pub const SKELETON: [(&str, &str); 5] = [
    (
        "Description",
        "What will the mentee build, and why does it matter?",
    ),
    ("Expected Outcome", "What exists at the end of the term?"),
    ("Recommended Skills", ""),
    ("Mentor(s)", "Your Name (@github-handle, you@example.org)"),
    ("Upstream Issue", ""),
];

/// Whether a field's value is still one of the skeleton's prompts.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty() && SKELETON.iter().any(|(_, prompt)| *prompt == value)
}
