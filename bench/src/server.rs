//! A real `rapport serve` process on a free port, timed from exec to ready.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    pub addr: String,
    pub pid: u32,
    pub ready_after: Duration,
}

fn free_addr() -> anyhow::Result<String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.to_string())
}

async fn ready(addr: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        return false;
    };
    let req = format!("GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return false;
    }
    let mut buf = [0u8; 12];
    s.read_exact(&mut buf).await.is_ok() && buf.starts_with(b"HTTP/1.1 200")
}

impl Server {
    pub async fn start(bin: &Path, database_url: &str) -> anyhow::Result<Server> {
        let addr = free_addr()?;
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["serve", "--bind", &addr])
            .env("RAPPORT_DATABASE_URL", database_url)
            .env("RAPPORT_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the server exited at once")?;
        loop {
            if ready(&addr).await {
                break;
            }
            if let Some(status) = child.try_wait()? {
                bail!("rapport serve exited with {status}");
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("rapport serve was not ready after 60 s");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(Server {
            ready_after: started.elapsed(),
            child,
            addr,
            pid,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
