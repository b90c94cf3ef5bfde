//! What results were measured on: the machine (CPU model, logical CPUs,
//! memory, and in detail the CPU as the kernel reports it), how fast it ran
//! a calibration loop, the operating system, and when (UTC). Read from
//! /proc, /sys and /etc/os-release on Linux, with plain fallbacks elsewhere.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::data::machine::{Calibration, Hardware};

/// `Intel(R) Xeon(R) Processor, 2 logical CPUs, 23.6 GiB RAM`.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    describe_machine(&cpuinfo, &meminfo)
}

fn describe_machine(cpuinfo: &str, meminfo: &str) -> String {
    let field = |text: &str, key: &str| -> Option<String> {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
    };
    let model = ["model name", "Hardware", "cpu model", "Model"]
        .iter()
        .find_map(|k| field(cpuinfo, k))
        .filter(|m| !m.is_empty())
        .map(|m| m.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| format!("unknown {} CPU", std::env::consts::ARCH));
    let from_proc = cpuinfo
        .lines()
        .filter(|l| l.split(':').next().is_some_and(|k| k.trim() == "processor"))
        .count();
    let cpus = if from_proc > 0 {
        from_proc
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    let mut text = format!(
        "{model}, {cpus} logical CPU{}",
        if cpus == 1 { "" } else { "s" }
    );
    let mem_kib =
        field(meminfo, "MemTotal").and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok());
    if let Some(kib) = mem_kib {
        text.push_str(&format!(", {:.1} GiB RAM", kib as f64 / 1_048_576.0));
    }
    text
}

/// The CPU flags recorded when the CPU has them: vector and crypto
/// extensions that change how fast code runs, and `hypervisor` (a virtual
/// machine). x86 names first, then Arm's (`Features`).
const FLAGS: &[&str] = &[
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "bmi2",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_fp16",
    "amx_tile",
    "aes",
    "vaes",
    "sha_ni",
    "hypervisor",
    "asimd",
    "sve",
    "sve2",
    "sha2",
];

/// The CPU and machine as the kernel reports them.
pub fn hardware() -> Hardware {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let mut h = parse_cpuinfo(&read("/proc/cpuinfo"));
    h.caches = caches_in(Path::new("/sys/devices/system/cpu/cpu0/cache"));
    h.memory_mib = mem_total_kib(&read("/proc/meminfo")).map(|k| k / 1024);
    let kernel = read("/proc/sys/kernel/osrelease");
    h.kernel = Some(kernel.trim().to_string()).filter(|k| !k.is_empty());
    if h.logical_cpus.is_none() {
        h.logical_cpus = std::thread::available_parallelism()
            .ok()
            .and_then(|n| u32::try_from(n.get()).ok());
    }
    h
}

/// What `/proc/cpuinfo` says of the CPU (that of the first processor; they
/// are alike), with the number of processors and of distinct cores.
fn parse_cpuinfo(text: &str) -> Hardware {
    let first = text.split("\n\n").next().unwrap_or("");
    let field = |key: &str| -> Option<String> {
        first.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == key).then(|| v.split_whitespace().collect::<Vec<_>>().join(" "))
        })
    };
    let number = |key: &str| -> Option<u32> {
        let v = field(key)?;
        match v.strip_prefix("0x") {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => v.parse().ok(),
        }
    };
    let have: Vec<String> = field("flags")
        .or_else(|| field("Features"))
        .map(|f| f.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let mut logical = 0u32;
    let mut cores: Vec<(String, String)> = Vec::new();
    for block in text.split("\n\n") {
        let get = |key: &str| {
            block.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                (k.trim() == key).then(|| v.trim().to_string())
            })
        };
        if get("processor").is_none() {
            continue;
        }
        logical += 1;
        if let (Some(p), Some(c)) = (get("physical id"), get("core id")) {
            if !cores.contains(&(p.clone(), c.clone())) {
                cores.push((p, c));
            }
        }
    }
    Hardware {
        vendor: field("vendor_id").or_else(|| field("CPU implementer")),
        model_name: ["model name", "Hardware", "cpu model", "Model"]
            .iter()
            .find_map(|k| field(k))
            .filter(|m| !m.is_empty()),
        family: number("cpu family"),
        model: number("model"),
        stepping: number("stepping"),
        microcode: field("microcode"),
        flags: FLAGS
            .iter()
            .filter(|f| have.iter().any(|h| h == *f))
            .map(|f| f.to_string())
            .collect(),
        caches: Vec::new(),
        logical_cpus: (logical > 0).then_some(logical),
        cores: u32::try_from(cores.len()).ok().filter(|n| *n > 0),
        memory_mib: None,
        kernel: None,
    }
}

/// The caches of one CPU, from its `cache/indexN` folders in sysfs:
/// `L1d 48 KiB`, `L1i 32 KiB`, `L2 2 MiB`, `L3 300 MiB`.
pub fn caches_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut indexes: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("index"))
        })
        .collect();
    indexes.sort();
    let read = |p: &Path, f: &str| {
        std::fs::read_to_string(p.join(f))
            .map(|t| t.trim().to_string())
            .unwrap_or_default()
    };
    indexes
        .iter()
        .filter_map(|p| describe_cache(&read(p, "level"), &read(p, "type"), &read(p, "size")))
        .collect()
}

/// `L1d 48 KiB` from a cache's `level` (`1`), `type` (`Data`) and `size`
/// (`48K`) as sysfs writes them.
fn describe_cache(level: &str, kind: &str, size: &str) -> Option<String> {
    let level: u32 = level.parse().ok()?;
    let suffix = match kind {
        "Data" => "d",
        "Instruction" => "i",
        _ => "",
    };
    let (digits, unit) = size.split_at(size.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = digits.parse().ok()?;
    let kib = match unit {
        "K" => n,
        "M" => n * 1024,
        "G" => n * 1024 * 1024,
        _ => return None,
    };
    let size = if kib >= 1024 && kib % 1024 == 0 {
        format!("{} MiB", kib / 1024)
    } else if kib >= 1024 {
        format!("{:.2} MiB", kib as f64 / 1024.0)
    } else {
        format!("{kib} KiB")
    };
    Some(format!("L{level}{suffix} {size}"))
}

fn mem_total_kib(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What the calibration loop does, recorded with its timings.
pub const CALIBRATION_WORKLOAD: &str = "xorshift64 and a multiply-add, 2^24 steps, one thread";

/// Times the calibration loop `times` times (after one run not kept) and
/// returns the timings and their median.
pub fn calibrate(times: usize) -> Calibration {
    let steps = 1u64 << 24;
    std::hint::black_box(calibration_loop(std::hint::black_box(steps / 16)));
    let mut runs_ms: Vec<f64> = (0..times.max(1))
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(calibration_loop(std::hint::black_box(steps)));
            round_ms(start.elapsed())
        })
        .collect();
    let median_ms = round_ms(Duration::from_secs_f64(
        crate::data::results::median(&runs_ms) / 1000.0,
    ));
    runs_ms.shrink_to_fit();
    Calibration {
        workload: CALIBRATION_WORKLOAD.to_string(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .to_string(),
        median_ms,
        runs_ms,
        other_cpus: None,
    }
}

/// Milliseconds to the microsecond.
fn round_ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// A serial chain of integer operations: each step needs the one before,
/// so its time is the CPU's latency for them at its clock speed, the same
/// on every run of one machine.
fn calibration_loop(steps: u64) -> u64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut acc: u64 = 0;
    for _ in 0..steps {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc = acc.wrapping_mul(31).wrapping_add(x);
    }
    acc
}

/// How many CPUs process `pid` may run on (its affinity, from
/// `Cpus_allowed_list` in `/proc/PID/status`, readable until it is reaped).
pub fn allowed_cpus(pid: u32) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with("Cpus_allowed_list:"))?;
    count_cpu_list(line.split_once(':')?.1.trim())
}

/// The number of CPUs in a list such as `0-3,8,10-11`.
fn count_cpu_list(list: &str) -> Option<u32> {
    let mut n = 0u32;
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        n += match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
                b.checked_sub(a)? + 1
            }
            None => {
                part.parse::<u32>().ok()?;
                1
            }
        };
    }
    (n > 0).then_some(n)
}

/// `Debian GNU/Linux 12 (bookworm), Linux 6.1.0 x86_64`.
pub fn os() -> String {
    let release = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let kind = std::fs::read_to_string("/proc/sys/kernel/ostype").unwrap_or_default();
    describe_os(&release, kind.trim(), kernel.trim())
}

fn describe_os(os_release: &str, kind: &str, kernel: &str) -> String {
    let value = |key: &str| {
        os_release.lines().find_map(|l| {
            let v = l.strip_prefix(key)?.strip_prefix('=')?;
            Some(v.trim().trim_matches('"').to_string())
        })
    };
    let name = value("PRETTY_NAME").or_else(|| value("NAME"));
    let kind = if kind.is_empty() {
        std::env::consts::OS
    } else {
        kind
    };
    let kernel_text = [kind, kernel, std::env::consts::ARCH]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    match name {
        Some(n) if !n.is_empty() => format!("{n}, {kernel_text}"),
        _ => kernel_text,
    }
}

/// The 1, 5 and 15 minute load averages (`0.52 0.31 0.20`), when known: how
/// busy the machine was with other work.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let three: Vec<&str> = text.split_whitespace().take(3).collect();
    (three.len() == 3).then(|| three.join(" "))
}

/// CPU time used on the whole machine so far, in clock ticks: user, nice,
/// system and steal time over all CPUs (`/proc/stat`). Time spent handling
/// interrupts is left out: loopback network traffic of the benchmark itself
/// is counted there, and charged to no process.
pub fn machine_ticks() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    machine_ticks_of(text.lines().next()?)
}

fn machine_ticks_of(cpu_line: &str) -> Option<u64> {
    let mut f = cpu_line.split_whitespace();
    if f.next()? != "cpu" {
        return None;
    }
    let v: Vec<u64> = f.map(|x| x.parse().unwrap_or(0)).collect();
    // user nice system idle iowait irq softirq steal ...
    Some(v.first()? + v.get(1)? + v.get(2)? + v.get(7).copied().unwrap_or(0))
}

/// CPU time of a process, in clock ticks: its own user and system time and
/// that of the children it has waited for (`/proc/PID/stat`). Readable
/// until the process is reaped, so also for a zombie.
pub fn process_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    process_ticks_of(&text)
}

/// The processes in the process group `pgid` (a server and the workers it
/// forked), from `/proc`; empty where there is no `/proc`.
pub fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| group_of(&s))
                == Some(pgid)
        })
        .collect()
}

/// The process group in a `/proc/PID/stat` line (field 5).
fn group_of(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(2)?.parse().ok()
}

/// The proportional set size of a process in KiB: its resident memory,
/// with each page it shares with others (a forked worker's copy-on-write
/// pages) divided among them (`Pss` in `/proc/PID/smaps_rollup`).
pub fn pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    pss_of(&text)
}

fn pss_of(smaps_rollup: &str) -> Option<u64> {
    let line = smaps_rollup.lines().find(|l| l.starts_with("Pss:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The CPU time of this process (versus itself), without that of its
/// children: versus reaps the measured processes, which adds their time to
/// its own children's time, and that is counted separately.
pub fn own_ticks() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    stat_ticks(&text, false)
}

fn process_ticks_of(stat: &str) -> Option<u64> {
    stat_ticks(stat, true)
}

fn stat_ticks(stat: &str, children: bool) -> Option<u64> {
    // The command name may hold spaces and parentheses: fields start after
    // the last `)`, with the state (field 3).
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok());
    // utime, stime, cutime, cstime are fields 14 to 17.
    let own = n(11)? + n(12)?;
    Some(if children { own + n(13)? + n(14)? } else { own })
}

/// Clock ticks per second, the unit of the two functions above.
pub fn ticks_per_second() -> f64 {
    #[cfg(target_os = "linux")]
    {
        rustix::param::clock_ticks_per_second() as f64
    }
    #[cfg(not(target_os = "linux"))]
    {
        100.0
    }
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_utc(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The day a date string names, as days since 1970-01-01: `YYYY-MM-DD`,
/// optionally followed by a time (`T...` or ` ...`), which is ignored.
pub fn days_of(date: &str) -> Option<i64> {
    let day = date.trim().get(..10)?;
    let mut parts = day.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let rest = &date.trim()[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // 2023-02-30 and the like do not round-trip.
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// Days since the epoch of a time.
pub fn days_since_epoch(t: SystemTime) -> i64 {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    i64::try_from(secs / 86_400).unwrap_or(0)
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_and_pss() {
        let stat = "4242 (node (worker)) S 4200 4100 4100 0 -1 4194560 1 0 0 0 7 3 0 0";
        assert_eq!(group_of(stat), Some(4100));
        let rollup = "00400000-7ffd r--p 00000000 00:00 0 [rollup]\nRss:  30000 kB\nPss:  21011 kB\nPss_Anon: 1 kB\n";
        assert_eq!(pss_of(rollup), Some(21011));
        assert_eq!(pss_of("Rss: 1 kB\n"), None);
        #[cfg(target_os = "linux")]
        {
            let me = std::process::id();
            assert!(pss_kib(me).is_some_and(|k| k > 0));
        }
    }

    use std::time::Duration;

    #[test]
    fn dates() {
        assert_eq!(iso_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_251_199); // 2024-02-29 23:59:59
        assert_eq!(iso_utc(t), "2024-02-29T23:59:59Z");
        assert_eq!(days_of("1970-01-02"), Some(1));
        assert_eq!(days_of("2024-02-29T23:59:59Z"), Some(19_782));
        assert_eq!(days_since_epoch(t), 19_782);
        assert_eq!(days_of("2023-02-29"), None);
        assert_eq!(days_of("2024-13-01"), None);
        assert_eq!(days_of("yesterday"), None);
        assert_eq!(days_of("2024-01-011"), None);
    }

    #[test]
    fn cpu_ticks() {
        assert_eq!(
            machine_ticks_of("cpu  100 5 50 9000 3 7 11 2 0 0"),
            Some(157)
        );
        assert_eq!(machine_ticks_of("cpu0 1 2 3 4"), None);
        let stat = "1234 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 11 21 22 23 24 20 0";
        assert_eq!(process_ticks_of(stat), Some(11 + 21 + 22 + 23));
        assert_eq!(stat_ticks(stat, false), Some(11 + 21));
        assert!(own_ticks().is_some() || !cfg!(target_os = "linux"));
    }

    /// Two processors of an Intel Xeon as a KVM guest shows them (cut).
    const CPUINFO: &str = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 207\nmodel name\t: Intel(R) Xeon(R)  Processor\nstepping\t: 2\nmicrocode\t: 0x1\nphysical id\t: 0\ncore id\t\t: 0\nflags\t\t: fpu sse4_2 avx avx2 hypervisor avx512f sha_ni avx512_vnni\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 207\nphysical id\t: 0\ncore id\t\t: 1\nflags\t\t: fpu\n";

    #[test]
    fn parses_cpuinfo() {
        let h = parse_cpuinfo(CPUINFO);
        assert_eq!(h.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!(h.model_name.as_deref(), Some("Intel(R) Xeon(R) Processor"));
        assert_eq!(
            (h.family, h.model, h.stepping),
            (Some(6), Some(207), Some(2))
        );
        assert_eq!(h.microcode.as_deref(), Some("0x1"));
        assert_eq!(
            h.flags,
            [
                "sse4_2",
                "avx",
                "avx2",
                "avx512f",
                "avx512_vnni",
                "sha_ni",
                "hypervisor"
            ]
        );
        assert_eq!((h.logical_cpus, h.cores), (Some(2), Some(2)));
        // An Arm board: no family, its features instead of flags.
        let arm = "processor\t: 0\nFeatures\t: fp asimd sha2 crc32\nCPU implementer\t: 0x41\n\nprocessor\t: 1\n";
        let h = parse_cpuinfo(arm);
        assert_eq!(h.flags, ["asimd", "sha2"]);
        assert_eq!((h.family, h.logical_cpus, h.cores), (None, Some(2), None));
        assert_eq!(parse_cpuinfo(""), Hardware::default());
    }

    #[test]
    fn reads_caches_from_sysfs() {
        let dir = tempfile::tempdir().unwrap();
        let index = |n: u32, level: &str, kind: &str, size: &str| {
            let d = dir.path().join(format!("index{n}"));
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("level"), format!("{level}\n")).unwrap();
            std::fs::write(d.join("type"), format!("{kind}\n")).unwrap();
            std::fs::write(d.join("size"), format!("{size}\n")).unwrap();
        };
        index(0, "1", "Data", "48K");
        index(1, "1", "Instruction", "32K");
        index(2, "2", "Unified", "2048K");
        index(3, "3", "Unified", "307200K");
        std::fs::create_dir(dir.path().join("uevent_like")).unwrap();
        assert_eq!(
            caches_in(dir.path()),
            ["L1d 48 KiB", "L1i 32 KiB", "L2 2 MiB", "L3 300 MiB"]
        );
        assert_eq!(
            describe_cache("2", "Unified", "1280K").as_deref(),
            Some("L2 1.25 MiB")
        );
        assert_eq!(describe_cache("x", "Data", "1K"), None);
        assert_eq!(describe_cache("1", "Data", "12"), None);
        assert!(caches_in(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn counts_allowed_cpus() {
        assert_eq!(count_cpu_list("1"), Some(1));
        assert_eq!(count_cpu_list("0-3,8,10-11"), Some(7));
        assert_eq!(count_cpu_list(""), None);
        assert_eq!(count_cpu_list("3-1"), None);
        assert_eq!(count_cpu_list("a"), None);
        #[cfg(target_os = "linux")]
        assert!(allowed_cpus(std::process::id()).is_some_and(|n| n >= 1));
        assert_eq!(
            mem_total_kib("MemTotal:       24731400 kB\n"),
            Some(24_731_400)
        );
    }

    #[test]
    fn calibration_is_timed_and_described() {
        let c = calibrate(3);
        assert_eq!(c.runs_ms.len(), 3);
        assert!(c.runs_ms.iter().all(|t| *t > 0.0), "{c:?}");
        let mut sorted = c.runs_ms.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(c.median_ms, sorted[1]);
        assert_eq!(
            c.build,
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
        );
        // The loop computes a fixed value: the same work on every machine.
        assert_eq!(calibration_loop(3), calibration_loop(3));
        assert_ne!(calibration_loop(3), calibration_loop(4));
    }

    #[test]
    fn describes_the_machine() {
        let cpu = "processor\t: 0\nmodel name\t: Intel(R)  Xeon(R) Processor\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n";
        let mem = "MemTotal:       24731708 kB\nMemFree: 1 kB\n";
        assert_eq!(
            describe_machine(cpu, mem),
            "Intel(R) Xeon(R) Processor, 2 logical CPUs, 23.6 GiB RAM"
        );
        let os = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
        assert_eq!(
            describe_os(os, "Linux", "6.1.0"),
            format!(
                "Debian GNU/Linux 12 (bookworm), Linux 6.1.0 {}",
                std::env::consts::ARCH
            )
        );
    }
}
