//! Runs one job of a GitHub Actions workflow on this machine, the way a runner
//! would: each `run:` step in bash with the job's and the step's environment,
//! `$GITHUB_PATH` and `$GITHUB_STEP_SUMMARY` honoured, and the few actions the
//! workflows `trellis init` writes played by the test. Only the expressions
//! those workflows use are understood; any other fails the test, so a workflow
//! cannot drift away from what is tested without the test saying so.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::Yaml;

/// A step's `with:` values, or its outputs, by name.
pub type Values = HashMap<String, String>;

/// Plays a `uses:` step: called with the action (without `@pin`) and the
/// step's `with:` values; returns the step's outputs.
pub type Action = Box<dyn Fn(&str, &Values) -> Values>;

/// What the runner gives a job: its directories and the values of `vars.*`.
pub struct Runner {
    /// The checked-out repository, where steps run.
    pub workspace: PathBuf,
    /// `$RUNNER_TEMP`.
    pub temp: PathBuf,
    /// The repository variables (`vars.NAME`).
    pub vars: HashMap<String, String>,
    /// The event's context (`github.event.pull_request.base.sha`, …).
    pub github: HashMap<String, String>,
    /// Plays the `uses:` steps.
    pub action: Action,
}

/// How a job went: the steps that ran, by name, and whether each succeeded.
pub struct JobResult {
    pub steps: Vec<(String, bool)>,
    /// What the scripts printed, standard output then error, step after step.
    pub log: String,
    /// What the steps wrote to `$GITHUB_STEP_SUMMARY`.
    pub summary: String,
}

impl JobResult {
    pub fn succeeded(&self) -> bool {
        self.steps.iter().all(|(_, ok)| *ok)
    }
}

impl Runner {
    /// Runs `job` of the parsed `workflow`.
    pub fn run(&self, workflow: &Yaml, job: &str) -> JobResult {
        let job = &workflow["jobs"][job];
        assert!(!job.is_badvalue(), "no job {job:?}");
        let github_path = self.temp.join("github_path");
        let summary = self.temp.join("step_summary");
        std::fs::write(&github_path, "").unwrap();
        std::fs::write(&summary, "").unwrap();
        let mut outputs: HashMap<String, HashMap<String, String>> = HashMap::new();
        let job_env = self.env_of(&job["env"], &outputs);
        let mut result = JobResult {
            steps: Vec::new(),
            log: String::new(),
            summary: String::new(),
        };
        for step in job["steps"].as_vec().expect("a job has steps") {
            let name = step["name"]
                .as_str()
                .or(step["uses"].as_str())
                .or(step["run"].as_str())
                .unwrap_or("step")
                .to_string();
            let failed = !result.succeeded();
            let runs = match step["if"].as_str().map(expression_body) {
                None if failed => false,
                None => true,
                Some("!cancelled()") => true,
                Some(other) => panic!("the runner does not know `if: {other}`"),
            };
            if !runs {
                continue;
            }
            let ok = if let Some(action) = step["uses"].as_str() {
                let with = self.env_of(&step["with"], &outputs);
                let action = action.split('@').next().unwrap();
                let produced = (self.action)(action, &with);
                if let Some(id) = step["id"].as_str() {
                    outputs.insert(id.to_string(), produced);
                }
                true
            } else {
                let script = step["run"].as_str().expect("a step runs or uses");
                let mut env = job_env.clone();
                env.extend(self.env_of(&step["env"], &outputs));
                let (ok, log) = self.bash(script, &env, &github_path, &summary);
                result.log.push_str(&log);
                ok
            };
            result.steps.push((name, ok));
        }
        result.summary = std::fs::read_to_string(&summary).unwrap();
        result
    }

    /// A step of `run:`, in bash as GitHub runs it, with an environment made
    /// of the job's and nothing of the test process's, except the system PATH.
    fn bash(
        &self,
        script: &str,
        env: &HashMap<String, String>,
        github_path: &Path,
        summary: &Path,
    ) -> (bool, String) {
        let mut path: Vec<String> = std::fs::read_to_string(github_path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        path.reverse();
        path.push("/usr/bin:/bin".into());
        let out = Command::new("bash")
            .args([
                "--noprofile",
                "--norc",
                "-e",
                "-o",
                "pipefail",
                "-c",
                script,
            ])
            .current_dir(&self.workspace)
            .env_clear()
            .env("PATH", path.join(":"))
            .env("HOME", &self.temp)
            .env("RUNNER_TEMP", &self.temp)
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("GITHUB_PATH", github_path)
            .env("GITHUB_STEP_SUMMARY", summary)
            .env("NO_COLOR", "1")
            .envs(env)
            .output()
            .expect("bash runs");
        let log = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        (out.status.success(), log.into_owned())
    }

    /// A map of `env:` or `with:`, expressions evaluated.
    fn env_of(
        &self,
        map: &Yaml,
        outputs: &HashMap<String, HashMap<String, String>>,
    ) -> HashMap<String, String> {
        let Some(map) = map.as_hash() else {
            return HashMap::new();
        };
        map.iter()
            .map(|(k, v)| {
                let key = k.as_str().expect("keys are strings").to_string();
                let value = match v {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => panic!("{key}: unexpected value {other:?}"),
                };
                (key, self.expand(&value, outputs))
            })
            .collect()
    }

    /// A value with its `${{ … }}` expressions replaced.
    fn expand(&self, value: &str, outputs: &HashMap<String, HashMap<String, String>>) -> String {
        let mut out = String::new();
        let mut rest = value;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("an expression ends") + start;
            out.push_str(&self.evaluate(rest[start + 3..end].trim(), outputs));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// `a || b || 'literal'`, where each operand is a string literal,
    /// `vars.NAME` or `steps.ID.outputs.NAME`; the first non-empty one wins.
    fn evaluate(&self, expr: &str, outputs: &HashMap<String, HashMap<String, String>>) -> String {
        for operand in expr.split("||").map(str::trim) {
            let value = if let Some(literal) = operand
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
            {
                literal.to_string()
            } else if let Some(name) = operand.strip_prefix("vars.") {
                self.vars.get(name).cloned().unwrap_or_default()
            } else if let Some(name) = operand.strip_prefix("github.") {
                self.github
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| panic!("the test gives no `{operand}`"))
            } else if let Some(rest) = operand.strip_prefix("steps.") {
                let (id, name) = rest
                    .split_once(".outputs.")
                    .unwrap_or_else(|| panic!("the runner does not know `{operand}`"));
                outputs
                    .get(id)
                    .and_then(|o| o.get(name))
                    .cloned()
                    .unwrap_or_default()
            } else {
                panic!("the runner does not know the expression `{operand}`")
            };
            if !value.is_empty() {
                return value;
            }
        }
        String::new()
    }
}

/// `!cancelled()` from `${{ !cancelled() }}` or a bare `!cancelled()`.
fn expression_body(text: &str) -> &str {
    text.trim()
        .strip_prefix("${{")
        .and_then(|s| s.strip_suffix("}}"))
        .unwrap_or(text)
        .trim()
}
