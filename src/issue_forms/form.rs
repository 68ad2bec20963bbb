//! GitHub issue forms (`.github/ISSUE_TEMPLATE/*.yml`): the fields a proposal
//! issue was written with — labels, types, options, which are required, and the
//! length limits the descriptions state — so that a body is read and checked
//! against the form and not guessed at.
//!
//! An issue form is YAML of this shape (GitHub's issue-form schema):
//!
//! ```yaml
//! name: Project proposal
//! labels: ["proposal"]
//! body:
//!   - type: dropdown            # or input, textarea, checkboxes, markdown
//!     attributes: { label: Organization, options: ["Alpha", "Beta"] }
//!     validations: { required: true }
//! ```

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use crate::diagnostic::Diagnostic;
use crate::parse::labels::normalize_label;

/// Where a site keeps its issue forms, relative to its root.
pub const FORMS_DIR: &str = ".github/ISSUE_TEMPLATE";

/// One issue form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The form's file, relative to the site root.
    pub file: String,
    pub name: String,
    /// Labels GitHub puts on every issue opened with the form.
    pub labels: Vec<String>,
    /// The input fields in order; `markdown` blocks say nothing about answers and are left out.
    pub fields: Vec<FormField>,
}

/// One input field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub label: String,
    pub kind: FieldType,
    /// Dropdown choices, or checkbox labels.
    pub options: Vec<String>,
    /// For checkboxes: the options that must be ticked; for the rest, whether an answer is required.
    pub required: bool,
    pub required_options: Vec<String>,
    /// The longest answer the field's description allows ("Up to 3000 characters").
    pub max_chars: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Input,
    Textarea,
    Dropdown { multiple: bool },
    Checkboxes,
}

impl Form {
    /// The field answering to `label`, compared as the alias table compares labels.
    pub fn field(&self, label: &str) -> Option<&FormField> {
        let key = normalize_label(label);
        self.fields
            .iter()
            .find(|f| normalize_label(&f.label) == key)
    }

    /// How many of `headings` are this form's labels: a body written with this
    /// form has all of them.
    pub fn matches(&self, headings: &[&str]) -> usize {
        headings.iter().filter(|h| self.field(h).is_some()).count()
    }
}

/// Every issue form under `root/.github/ISSUE_TEMPLATE`, in file-name order,
/// with a diagnostic for each one that cannot be read. `config.yml` configures
/// GitHub's template chooser and is not a form.
pub fn load_forms(root: &Path) -> (Vec<Form>, Vec<Diagnostic>) {
    let dir = root.join(FORMS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|x| x == "yml" || x == "yaml")
                && p.file_stem().is_some_and(|s| s != "config")
        })
        .collect();
    paths.sort();
    let mut forms = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        let name = path.file_name().map_or_else(String::new, |n| {
            format!("{FORMS_DIR}/{}", n.to_string_lossy())
        });
        let text = match std::fs::read(&path).map(crate::load::decode) {
            Ok(Ok(text)) => text,
            Ok(Err((line, column))) => {
                diags.push(Diagnostic::error(
                    "form-invalid",
                    &name,
                    line,
                    column,
                    "this issue form is not valid UTF-8 text",
                ));
                continue;
            }
            Err(e) => {
                diags.push(Diagnostic::error(
                    "form-invalid",
                    &name,
                    0,
                    0,
                    format!("cannot read '{name}': {e}"),
                ));
                continue;
            }
        };
        match parse_form(&text, &name) {
            Ok(Some(form)) => forms.push(form),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    (forms, diags)
}

/// Reads one form; `Ok(None)` for YAML that is not an issue form (no `body`).
pub fn parse_form(text: &str, file: &str) -> Result<Option<Form>, Diagnostic> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        let mark = e.marker();
        Diagnostic::error(
            "form-invalid",
            file,
            mark.line().max(1),
            mark.col() + 1,
            format!("this issue form is not valid YAML: {}", e.info()),
        )
    })?;
    let Some(doc) = docs.first() else {
        return Ok(None);
    };
    let Some(body) = doc["body"].as_vec() else {
        return Ok(None);
    };
    let labels = match &doc["labels"] {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        // GitHub also takes one comma-separated string.
        Yaml::String(s) => s
            .split(',')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    let mut fields = Vec::new();
    for (n, item) in body.iter().enumerate() {
        let kind = match item["type"].as_str() {
            Some("input") => FieldType::Input,
            Some("textarea") => FieldType::Textarea,
            Some("dropdown") => FieldType::Dropdown {
                multiple: item["attributes"]["multiple"].as_bool().unwrap_or(false),
            },
            Some("checkboxes") => FieldType::Checkboxes,
            Some("markdown") => continue,
            other => {
                return Err(Diagnostic::error(
                    "form-invalid",
                    file,
                    0,
                    0,
                    format!(
                        "item {} of the form's body has type '{}', which GitHub does not know",
                        n + 1,
                        other.unwrap_or("")
                    ),
                )
                .with_help("use input, textarea, dropdown, checkboxes or markdown"))
            }
        };
        let attributes = &item["attributes"];
        let Some(label) = attributes["label"].as_str().map(str::trim) else {
            return Err(Diagnostic::error(
                "form-invalid",
                file,
                0,
                0,
                format!("item {} of the form's body has no label", n + 1),
            ));
        };
        let option_items = attributes["options"].as_vec().cloned().unwrap_or_default();
        let mut options = Vec::new();
        let mut required_options = Vec::new();
        for option in &option_items {
            // Checkbox options are `{label, required}`; dropdown options are plain strings.
            let text = scalar(option).or_else(|| scalar(&option["label"]));
            if let Some(text) = text {
                if option["required"].as_bool() == Some(true) {
                    required_options.push(text.clone());
                }
                options.push(text);
            }
        }
        fields.push(FormField {
            label: label.to_string(),
            kind,
            options,
            required: item["validations"]["required"].as_bool() == Some(true),
            required_options,
            max_chars: attributes["description"].as_str().and_then(stated_limit),
        });
    }
    Ok(Some(Form {
        file: file.to_string(),
        name: doc["name"].as_str().unwrap_or_default().trim().to_string(),
        labels,
        fields,
    }))
}

/// A YAML scalar as text: options such as `- 2026` are numbers to YAML.
fn scalar(yaml: &Yaml) -> Option<String> {
    match yaml {
        Yaml::String(s) | Yaml::Real(s) => Some(s.trim().to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The length limit a field's description states in words: "Up to 3000
/// characters", "max 20 characters", "must be < 100 characters". GitHub's
/// schema has no length validation, so forms say it in prose.
pub fn stated_limit(description: &str) -> Option<usize> {
    let lower = description.to_lowercase();
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '<'))
        .collect();
    words.windows(2).enumerate().find_map(|(i, pair)| {
        if !pair[1].starts_with("char") {
            return None;
        }
        let number: usize = pair[0].trim_start_matches('<').parse().ok()?;
        let before = |n: usize| i.checked_sub(n).and_then(|j| words.get(j)).copied();
        let strict = pair[0].starts_with('<') || before(1) == Some("<");
        let bound = ["to", "max", "maximum", "most", "<", "under", "than"];
        if strict || before(1).is_some_and(|w| bound.contains(&w)) {
            Some(
                if strict || before(1) == Some("than") || before(1) == Some("under") {
                    number.saturating_sub(1)
                } else {
                    number
                },
            )
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = r#"
name: Project idea
labels: proposal, gsoc
body:
  - type: markdown
    attributes:
      value: Thanks!
  - type: dropdown
    id: org
    attributes:
      label: Organization
      options: ["Alpha", "Beta", 2026]
    validations:
      required: true
  - type: textarea
    attributes:
      label: Description
      description: Up to 2000 characters.
  - type: checkboxes
    attributes:
      label: Agreements
      options:
        - label: I read the guide
          required: true
        - label: Optional thing
"#;

    #[test]
    fn form_fields_types_options_and_requirements() {
        let form = parse_form(FORM, "f.yml").unwrap().unwrap();
        assert_eq!(form.name, "Project idea");
        assert_eq!(form.labels, ["proposal", "gsoc"]);
        let labels: Vec<&str> = form.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Organization", "Description", "Agreements"]);
        let org = &form.fields[0];
        assert_eq!(org.kind, FieldType::Dropdown { multiple: false });
        assert_eq!(org.options, ["Alpha", "Beta", "2026"]);
        assert!(org.required);
        assert_eq!(form.fields[1].max_chars, Some(2000));
        assert!(!form.fields[1].required);
        assert_eq!(form.fields[2].kind, FieldType::Checkboxes);
        assert_eq!(form.fields[2].required_options, ["I read the guide"]);
        assert_eq!(form.field("organisation"), None);
        assert_eq!(form.field("ORGANIZATION").map(|f| f.options.len()), Some(3));
    }

    #[test]
    fn yaml_without_body_is_no_form_and_bad_yaml_has_a_line() {
        assert_eq!(
            parse_form("blank_issues_enabled: false\n", "c.yml"),
            Ok(None)
        );
        let err = parse_form("name: x\nbody:\n  - type: [\n", "f.yml").unwrap_err();
        assert_eq!(err.code, "form-invalid");
        assert!(err.line >= 3, "{err:?}");
        let err = parse_form("body:\n  - type: slider\n", "f.yml").unwrap_err();
        assert!(err.message.contains("slider"), "{}", err.message);
    }

    #[test]
    fn limits_stated_in_descriptions() {
        assert_eq!(stated_limit("Up to 3000 characters. This is"), Some(3000));
        assert_eq!(
            stated_limit("a short name (max 20 characters on LFX)"),
            Some(20)
        );
        assert_eq!(
            stated_limit("the full program name must be < 100 characters."),
            Some(99)
        );
        assert_eq!(stated_limit("fewer than 50 chars"), Some(49));
        assert_eq!(stated_limit("typically 53-73 chars"), None);
        assert_eq!(stated_limit("Comma-separated list"), None);
    }
}
