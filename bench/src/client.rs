//! A minimal HTTP/1.1 keep-alive client: one connection per simulated user, so the
//! figures measure Rapport rather than connection set-up or a client library.

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub struct Client {
    stream: BufReader<TcpStream>,
    host: String,
    /// The credential header line: a bearer token for the API, a cookie for pages.
    credential: String,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Client {
    pub async fn connect(addr: &str, token: &str) -> anyhow::Result<Client> {
        Self::connect_with(addr, format!("Authorization: Bearer {token}")).await
    }

    /// A browser-like client: the session cookie instead of a token, and gzip accepted as
    /// every browser does, so that page figures include the server's compression.
    pub async fn connect_with_cookie(addr: &str, cookie: &str) -> anyhow::Result<Client> {
        Self::connect_with(
            addr,
            format!("Cookie: {cookie}\r\nSec-Fetch-Site: same-origin\r\nAccept-Encoding: gzip"),
        )
        .await
    }

    async fn connect_with(addr: &str, credential: String) -> anyhow::Result<Client> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream: BufReader::new(stream),
            host: addr.to_owned(),
            credential,
        })
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<Response> {
        self.send_as(method, path, "application/json", body).await
    }

    pub async fn send_as(
        &mut self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Option<&str>,
    ) -> anyhow::Result<Response> {
        let body = body.unwrap_or("");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            self.credential,
            body.len()
        );
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                headers.push((k.clone(), v.trim().to_owned()));
                if k == "content-length" {
                    length = v.trim().parse().ok();
                } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim(), 16).context("bad chunk size")?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await?;
                chunk.truncate(size);
                body.extend(chunk);
                if size == 0 {
                    break;
                }
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.stream.read_exact(&mut body).await?;
        } else {
            bail!("response without a length");
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    pub async fn json(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<serde_json::Value> {
        let r = self.send(method, path, body).await?;
        if r.status >= 300 {
            bail!(
                "{method} {path}: {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            );
        }
        Ok(serde_json::from_slice(&r.body)?)
    }
}
