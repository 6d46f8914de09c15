//! The machine line every bench prints (DESIGN §9): cores, memory, CPU model, system.

use std::fs;

fn first_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
}

pub fn describe() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| first_value(&m, "MemTotal"))
        .and_then(|v| {
            v.split_whitespace()
                .next()
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or("unknown memory".to_owned(), |kib| {
            format!("{:.1} GiB", kib / 1024.0 / 1024.0)
        });
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| first_value(&c, "model name"))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| k.trim().to_owned())
        .unwrap_or_default();
    format!(
        "{cores} cores, {memory}, {cpu}, {} {kernel}",
        std::env::consts::OS
    )
}

/// Resident memory of a process now and at its peak, in MiB, from /proc.
pub fn rss_mib(pid: u32) -> Option<(f64, f64)> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| -> Option<f64> {
        first_value(&status, key)?
            .split_whitespace()
            .next()?
            .parse::<f64>()
            .ok()
    };
    Some((kib("VmRSS")? / 1024.0, kib("VmHWM")? / 1024.0))
}
