use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Cli, free_port, http, start, wait_until_up};

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_demo_creates_the_demo_once_and_reuses_it() {
    let cli = Cli::new();
    let started = Instant::now();
    let (server, lines) = start(&cli, &["--demo"]);
    let addr = server.addr;
    let first_start = started.elapsed();
    let text = lines.join("\n");
    assert!(text.contains(&format!("URL:      http://{addr}")), "{text}");
    assert!(text.contains("E-mail:   admin@rapport.test"), "{text}");
    let password = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("Password: "))
        .expect("the password is printed on creation")
        .to_owned();
    let (status, _) = http(addr, "GET", "/healthz", &[], "");
    assert_eq!(status, 200);
    let (status, _) = http(addr, "GET", "/readyz", &[], "");
    assert_eq!(status, 200);
    let body = format!("{{\"email\": \"admin@rapport.test\", \"password\": \"{password}\"}}");
    let (status, answer) = http(
        addr,
        "POST",
        "/auth/login",
        &[("Content-Type", "application/json")],
        &body,
    );
    assert_eq!(status, 200, "{answer}");
    drop(server);

    let (_server, lines) = start(&cli, &["--demo"]);
    let text = lines.join("\n");
    assert!(text.contains("Using the demo workspace"), "{text}");
    assert!(text.contains("admin@rapport.test"), "{text}");
    assert!(
        !text.contains("Password: "),
        "the password is printed only on creation: {text}"
    );
    // A loose sanity bound only; the start-up budget is measured by the bench.
    assert!(first_start < Duration::from_secs(30));
}

#[test]
fn serve_demo_refuses_a_database_with_other_workspaces() {
    let cli = Cli::new();
    cli.workspace("Acme", "boss@acme.example");
    let r = cli.run(&["serve", "--demo", "--bind", &free_port().to_string()], "");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the demo only seeds an empty database"),
        "{}",
        r.stderr
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let cli = Cli::new();
    let addr = free_port();
    let bind = addr.to_string();
    let mut child = cli
        .command(&[
            "--log-format",
            "json",
            "--log",
            "info",
            "serve",
            "--bind",
            &bind,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = KillOnDrop(child);
    let mut reader = BufReader::new(stderr);
    let mut ready = None;
    for _ in 0..50 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let v: Value =
            serde_json::from_str(line.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v["level"].is_string() && v["timestamp"].is_string(),
            "{line}"
        );
        if v["message"] == "Rapport is ready" {
            ready = Some(v);
            break;
        }
    }
    let ready = ready.expect("a ready line");
    assert!(ready["ready_ms"].as_u64().is_some(), "{ready}");
    drop(server);
}

#[test]
fn a_separate_metrics_address_serves_metrics_openly() {
    let cli = Cli::new();
    let metrics = free_port();
    let m = metrics.to_string();
    let (server, _) = start(&cli, &["--metrics-bind", &m]);
    let addr = server.addr;
    assert!(wait_until_up(metrics));
    let _ = http(addr, "GET", "/healthz", &[], "");
    let (status, body) = http(metrics, "GET", "/metrics", &[], "");
    assert_eq!(status, 200);
    assert!(body.contains("rapport_http_requests_total"), "{body}");
    let (status, _) = http(addr, "GET", "/metrics", &[], "");
    assert_eq!(status, 401, "the main address still wants a credential");
}
