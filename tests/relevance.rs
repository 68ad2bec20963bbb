//! The relevance set: queries a mentee might type, each with the idea that should
//! come first, over the real term files of $TRELLIS_CORPUS. The expected ideas were
//! chosen by reading the corpus, not by running the ranker, and the ranking judged
//! is `trellis::search::query`, the Rust twin of what `static/search.js` runs.
//!
//! Some ideas appear in two files of one term (`lfx-2021-term1.md` and
//! `lfx-2021-term1-ideas.md`): either copy is the right answer. Where an idea comes
//! back in the current, open term, the current one is expected first.

#[path = "support/skip.rs"]
mod skip;
use std::path::Path;

use trellis::search::{query, Index};

struct Case {
    query: &'static str,
    /// Any of these terms.
    terms: &'static [&'static str],
    org: &'static str,
    title: &'static str,
}

const T2021: &[&str] = &["lfx-2021-term1", "lfx-2021-term1-ideas"];

const CASES: &[Case] = &[
    // Exact titles, one of them proposed again in older terms.
    Case {
        query: "Harbor CLI",
        terms: &["lfx-2026-term1"],
        org: "Harbor",
        title: "Harbor CLI",
    },
    Case {
        query: "Postings Compression",
        terms: &["gsoc-2019"],
        org: "Prometheus",
        title: "Postings Compression",
    },
    Case {
        query: "Stateless Ruler",
        terms: T2021,
        org: "Thanos",
        title: "Stateless Ruler",
    },
    // Distinctive words from a title, in any order.
    Case {
        query: "strimzi headlamp",
        terms: &["lfx-2026-term1"],
        org: "Kubernetes",
        title: "Add Strimzi to Headlamp: Kubernetes Kafka Management UI",
    },
    Case {
        query: "headlamp kubeflow",
        terms: &["lfx-2026-term1"],
        org: "Kubernetes",
        title: "Add Kubeflow to Headlamp: Machine Learning Workflow Management UI",
    },
    Case {
        query: "jepsen tikv",
        terms: T2021,
        org: "TiKV",
        title: "Implement Jepsen test for TiKV",
    },
    Case {
        query: "whisper wasi",
        terms: &["lfx-2024-term1"],
        org: "WasmEdge",
        title: "Integrate whisper.cpp as a new WASI-NN backend",
    },
    Case {
        query: "kyverno envoy",
        terms: &["lfx-2024-term1"],
        org: "Kyverno",
        title: "Kyverno for Envoy Authorization",
    },
    Case {
        query: "mqtt",
        terms: &["lfx-2026-term1"],
        org: "Drasi",
        title: "Drasi for IoT: MQTT Integration and Real-Time Sensor Monitoring",
    },
    Case {
        query: "risc-v kubeedge",
        terms: &["lfx-2026-term1"],
        org: "KubeEdge",
        title: "Enable and Verify KubeEdge Support on RISC-V Architecture",
    },
    Case {
        query: "azure dns",
        terms: &["gsoc-2019"],
        org: "CoreDNS",
        title: "Support Azure DNS backend",
    },
    Case {
        query: "conntrack netavark",
        terms: &["lfx-2025-term3"],
        org: "Podman Container Tools",
        title: "Implement flushing of conntrack entries in Netavark on network changes",
    },
    Case {
        query: "tfjob pytorchjob",
        terms: &["lfx-2025-term3"],
        org: "Karmada",
        title: "Support TFJob and PyTorchJob in Karmada via Default Resource Interpreters",
    },
    Case {
        query: "playwright kubestellar",
        terms: &["lfx-2025-term3"],
        org: "KubeStellar",
        title: "Implementing End-to-End Playwright Testing for KubeStellar UI",
    },
    Case {
        query: "tcpdump libpcap",
        terms: &["lfx-2026-term1"],
        org: "Antrea",
        title: "Compare Antrea BPF generation for PacketCapture to tcpdump / libpcap",
    },
    Case {
        query: "docusaurus volcano",
        terms: &["lfx-2026-term1"],
        org: "Volcano",
        title: "Volcano Documentation & Website Revamp with Docusaurus",
    },
    // The same idea topic in an older term: the current, open term first.
    Case {
        query: "speculative decoding",
        terms: &["lfx-2026-term1"],
        org: "KubeEdge",
        title: "Cloud-Edge Simulation Benchmark for LLM Speculative Decoding in KubeEdge-Ianvs",
    },
    // Stop words never empty the results.
    Case {
        query: "from jekyll to hugo",
        terms: &["lfx-2026-term1"],
        org: "Meshery",
        title: "Migration of docs.meshery.io from Jekyll to Hugo",
    },
    Case {
        query: "the jaeger demo with opentelemetry and opensearch",
        terms: &["lfx-2025-term3"],
        org: "Jaeger",
        title: "Next-Generation Jaeger Demo with OpenTelemetry and OpenSearch (2025 Term 3)",
    },
    // Typos: one edit from four letters, two from eight.
    Case {
        query: "promethues remote write",
        terms: &["lfx-2025-term3"],
        org: "Prometheus",
        title: "Prometheus Remote Write 2.0 stability",
    },
    Case {
        query: "kubernets headlamp knative",
        terms: &["lfx-2026-term1"],
        org: "Kubernetes",
        title: "Polish Knative support in Headlamp: Serverless Workload Management UI",
    },
    Case {
        query: "syslgo protocol",
        terms: T2021,
        org: "Tremor",
        title: "Support for Syslog Protocol",
    },
    // The word being typed matches as a prefix.
    Case {
        query: "vertical block shar",
        terms: T2021,
        org: "Thanos",
        title: "Vertical Block Sharding",
    },
    Case {
        query: "rust coder cla",
        terms: &["lfx-2025-term3"],
        org: "WasmEdge",
        title: "Rust Coder for Claude Code",
    },
    // Mentors, with accents folded away.
    Case {
        query: "bryan boreham etcd",
        terms: &["gsoc-2019"],
        org: "Cortex",
        title: "Use etcd in Cortex",
    },
    Case {
        query: "jurgen etzlstorfer prometheus metrics",
        terms: T2021,
        org: "Keptn",
        title: "Improve Prometheus integration and exposure of Prometheus metrics",
    },
];

fn corpus_index(corpus: &Path) -> Index {
    let tmp = tempfile::tempdir().expect("temp dir");
    // The corpus as the site's content directory: a link, since `content_dir` must lie in the site.
    let corpus = std::path::absolute(corpus).expect("an absolute path");
    std::os::unix::fs::symlink(corpus, tmp.path().join("content")).expect("link the corpus");
    let config = trellis::build::load_config(tmp.path()).expect("the config loads");
    let loaded = trellis::build::load_site(tmp.path(), config, &[]);
    let written: std::collections::HashMap<String, Vec<u8>> =
        trellis::search::files(&loaded.site).into_iter().collect();
    // Judge the index the browser reads, after its trip through its pieces.
    let index: Index = trellis::search::read(|rel| {
        written
            .get(rel)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    })
    .expect("the index reads back");
    index
}

#[test]
fn every_relevance_query_ranks_its_idea_first() {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS") else {
        skip::say("skipped: TRELLIS_CORPUS unset; the relevance set needs the corpus");
        return;
    };
    assert!(CASES.len() >= 20);
    let index = corpus_index(Path::new(&corpus));
    let describe = |doc: usize| {
        format!(
            "{} | {} | {}",
            index.terms[index.docs.term[doc] as usize].id,
            index.orgs[index.docs.org[doc] as usize],
            index.docs.title[doc]
        )
    };
    let mut failures = Vec::new();
    for case in CASES {
        let hits = query(&index, case.query);
        let top = hits.first().map(|h| h.doc);
        let right = top.is_some_and(|d| {
            case.terms
                .contains(&index.terms[index.docs.term[d] as usize].id.as_str())
                && index.orgs[index.docs.org[d] as usize] == case.org
                && index.docs.title[d] == case.title
        });
        if !right {
            let got: Vec<String> = hits.iter().take(3).map(|h| describe(h.doc)).collect();
            failures.push(format!(
                "'{}': expected {} | {}, got {got:#?}",
                case.query, case.org, case.title
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries rank another idea first:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
