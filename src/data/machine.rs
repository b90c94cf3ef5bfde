//! What a `versus bench` run records beside its figures to identify the
//! machine and to qualify them: the CPU as the kernel reports it
//! ([`Hardware`]), a calibration loop timed at the start ([`Calibration`]),
//! and the HTTP results whose load generator was the ceiling
//! ([`ClientBound`]). Stored in a results file's `[[runs]]`; read back
//! here for the line under a table.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The share of the CPUs it may use (in %) above which a load generator
/// is taken to be saturated: the figures it gave may be its ceiling, not
/// the server's.
pub const CLIENT_BOUND_PERCENT: f64 = 90.0;

/// The metric `versus bench` writes for a `client_cpu` measure: the share
/// of the CPUs it may use that the command (the load generator) used.
pub const CLIENT_CPU_METRIC: &str = "client CPU";

/// The machine a run was measured on, as the kernel reports it
/// (`/proc/cpuinfo`, `/sys/devices/system/cpu/cpu0/cache`, `/proc/meminfo`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Hardware {
    /// `vendor_id` (`GenuineIntel`, `AuthenticAMD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// `model name`, spaces squeezed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// `cpu family`, `model` and `stepping`: what tells CPUs sold under
    /// one name apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stepping: Option<u32>,
    /// `microcode` revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microcode: Option<String>,
    /// The flags that change how fast code runs (`avx2`, `avx512f`,
    /// `sha_ni`, ...), and `hypervisor` on a virtual machine, of those the
    /// CPU has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// The caches of CPU 0: `L1d 48 KiB`, `L2 2 MiB`, `L3 300 MiB`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub caches: Vec<String>,
    /// Logical CPUs, and physical cores when the kernel tells them apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_cpus: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cores: Option<u32>,
    /// `MemTotal`, in MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u64>,
    /// The kernel release (`6.1.0-18-amd64`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel: Option<String>,
}

impl Hardware {
    /// `family 6, model 207, stepping 2; AVX2, AVX-512F, SHA-NI; L2 2 MiB,
    /// L3 300 MiB`: what the machine's one-line name leaves out.
    pub fn details(&self) -> String {
        let mut parts = Vec::new();
        let id: Vec<String> = [
            ("family", self.family),
            ("model", self.model),
            ("stepping", self.stepping),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k} {v}")))
        .collect();
        if !id.is_empty() {
            parts.push(id.join(", "));
        }
        let flags: Vec<String> = self.flags.iter().map(|f| flag_name(f)).collect();
        if !flags.is_empty() {
            parts.push(flags.join(", "));
        }
        if !self.caches.is_empty() {
            parts.push(self.caches.join(", "));
        }
        parts.join("; ")
    }
}

/// How a flag is usually written: `avx512f` → `AVX-512F`, `sha_ni` →
/// `SHA-NI`, `sse4_2` → `SSE4.2`, `hypervisor` → `virtual machine`.
pub fn flag_name(flag: &str) -> String {
    match flag {
        "hypervisor" => "virtual machine".to_string(),
        "sse4_2" => "SSE4.2".to_string(),
        f => match f.strip_prefix("avx512") {
            Some(rest) => format!("AVX-512{}", rest.trim_start_matches('_').to_uppercase()),
            None => f.replace('_', "-").to_uppercase(),
        },
    }
}

/// A fixed CPU-bound loop run in `versus bench` itself at the start of
/// every run, timed a few times: runs whose calibrations differ were made
/// on machines (or in moments) that do not run the same code equally fast.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Calibration {
    /// What the loop does; only calibrations of the same workload compare.
    pub workload: String,
    /// `release` or `debug`: the build of versus that ran it (a debug
    /// build runs the loop several times slower).
    pub build: String,
    /// The median of the timings, in milliseconds.
    pub median_ms: f64,
    /// Every timing, in milliseconds.
    pub runs_ms: Vec<f64>,
    /// How many CPUs other programs used while it ran, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_cpus: Option<f64>,
}

impl Calibration {
    /// Whether two calibrations timed the same loop in the same build.
    pub fn compares_with(&self, other: &Calibration) -> bool {
        self.workload == other.workload && self.build == other.build
    }
}

/// A series of an HTTP benchmark in which the load generator used at least
/// [`CLIENT_BOUND_PERCENT`] of the CPUs it may use in some measured runs.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClientBound {
    /// The `benchmark` column (`100 connections`).
    pub benchmark: String,
    pub subject: String,
    /// The `version` column, empty when it has none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Measured runs, and how many of them were client-bound.
    pub runs: u32,
    pub saturated: u32,
    /// The highest share of its CPUs the load generator used, in %.
    pub max_percent: f64,
}

/// The sentence under a table saying which of the series shown were
/// client-bound: `None` when none was. `shown` lists the series shown as
/// (subject, version).
pub fn client_bound_text<'a>(
    bound: impl Iterator<Item = &'a ClientBound>,
    shown: &[(&str, Option<&str>)],
) -> Option<String> {
    let mut items: Vec<String> = Vec::new();
    for b in bound {
        let is_shown = shown
            .iter()
            .any(|(s, v)| *s == b.subject && v.unwrap_or("") == b.version);
        if !is_shown {
            continue;
        }
        let who = if b.version.is_empty() {
            b.subject.clone()
        } else {
            format!("{} {}", b.subject, b.version)
        };
        let item = format!(
            "{who} at {} ({} of {} runs, up to {:.0}%)",
            b.benchmark, b.saturated, b.runs, b.max_percent
        );
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(format!(
        "Client-bound: the load generator used {CLIENT_BOUND_PERCENT:.0}% or more of the CPU it may use in runs of {}, so those figures may be its ceiling rather than the server's",
        items.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_named_as_usual() {
        assert_eq!(flag_name("avx512f"), "AVX-512F");
        assert_eq!(flag_name("avx512_vnni"), "AVX-512VNNI");
        assert_eq!(flag_name("sha_ni"), "SHA-NI");
        assert_eq!(flag_name("avx2"), "AVX2");
        assert_eq!(flag_name("sse4_2"), "SSE4.2");
        assert_eq!(flag_name("hypervisor"), "virtual machine");
    }

    #[test]
    fn details_name_the_cpu() {
        let h = Hardware {
            family: Some(6),
            model: Some(207),
            stepping: Some(2),
            flags: vec!["avx2".into(), "sha_ni".into()],
            caches: vec!["L2 2 MiB".into()],
            ..Hardware::default()
        };
        assert_eq!(
            h.details(),
            "family 6, model 207, stepping 2; AVX2, SHA-NI; L2 2 MiB"
        );
        assert_eq!(Hardware::default().details(), "");
    }

    #[test]
    fn client_bound_series_shown_are_named() {
        let b = ClientBound {
            benchmark: "100 connections".into(),
            subject: "Node.js net".into(),
            version: "v24.19.0".into(),
            runs: 8,
            saturated: 6,
            max_percent: 97.4,
        };
        let text = client_bound_text([&b].into_iter(), &[("Node.js net", Some("v24.19.0"))]);
        assert_eq!(
            text.as_deref(),
            Some(
                "Client-bound: the load generator used 90% or more of the CPU it may use in runs of Node.js net v24.19.0 at 100 connections (6 of 8 runs, up to 97%), so those figures may be its ceiling rather than the server's"
            )
        );
        assert_eq!(
            client_bound_text([&b].into_iter(), &[("Node.js net", Some("v22.20.0"))]),
            None
        );
    }
}
