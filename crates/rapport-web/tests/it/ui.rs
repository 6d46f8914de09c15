//! The browser UI over HTTP, on both databases: sign-in, CSRF, forms that keep what was
//! typed, lists, escaping, languages, and the route × role table of the UI.

use axum::http::Method;
use rapport_core::Role;

use crate::support::{PASSWORD, Res, Server};

/// A browser: a session cookie and the page's CSRF token.
pub(crate) struct Browser<'a> {
    s: &'a Server,
    cookie: Option<String>,
    csrf: String,
    lang: Option<&'static str>,
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

pub(crate) fn attr<'t>(html: &'t str, marker: &str) -> Option<&'t str> {
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(&html[start..start + end])
}

impl<'a> Browser<'a> {
    pub(crate) fn anonymous(s: &'a Server) -> Self {
        Browser {
            s,
            cookie: None,
            csrf: String::new(),
            lang: None,
        }
    }

    pub(crate) async fn signed_in(s: &'a Server, email: &str) -> Self {
        // Sign-ins are limited to a burst of ten a minute; tests that sign in often wait
        // on the test clock for a token to come back rather than hit the limit.
        s.clock.advance(std::time::Duration::from_secs(7));
        let mut b = Browser::anonymous(s);
        let res = b
            .post(
                "/login",
                &[("email", email), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        b.cookie = res
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        let home = b.get("/").await;
        assert_eq!(home.status.as_u16(), 200, "{}", home.text);
        b.csrf = attr(&home.text, "data-csrf=\"").unwrap().to_owned();
        b
    }

    pub(crate) fn with(&self, mut req: crate::support::Req<'a>) -> crate::support::Req<'a> {
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if let Some(l) = self.lang {
            req = req.header("accept-language", l);
        }
        req
    }

    pub(crate) async fn get(&self, path: &str) -> Res {
        self.with(self.s.get(path)).send().await
    }

    /// A same-origin form post, as a browser sends it.
    pub(crate) async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Res {
        self.with(self.s.post(path))
            .header("sec-fetch-site", "same-origin")
            .raw("application/x-www-form-urlencoded", form_body(pairs))
            .send()
            .await
    }

    /// A form post carrying this session's CSRF token.
    pub(crate) async fn submit(&self, path: &str, pairs: &[(&str, &str)]) -> Res {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post(path, &all).await
    }
}

pub(crate) fn location(res: &Res) -> &str {
    res.header("location").unwrap_or_default()
}

#[tokio::test]
async fn signing_in_through_the_form_sets_the_cookie_and_returns_to_the_page_asked_for() {
    for s in Server::each("ui sign in").await {
        s.workspace("acme").await;
        let anon = Browser::anonymous(&s);
        let res = anon.get("/contacts?sort=last_name").await;
        assert_eq!(res.status.as_u16(), 303);
        assert_eq!(location(&res), "/login?next=%2Fcontacts%3Fsort%3Dlast_name");
        let res = anon
            .post(
                "/login",
                &[
                    ("email", "admin@acme.example.com"),
                    ("password", PASSWORD),
                    ("next", "/contacts?sort=last_name"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        assert_eq!(location(&res), "/contacts?sort=last_name");
        let cookie = res.header("set-cookie").unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let page = b.get("/contacts").await;
        assert_eq!(page.status.as_u16(), 200);
        assert!(page.text.contains("<h1>Contacts</h1>"), "{}", page.text);
    }
}

#[tokio::test]
async fn a_failed_sign_in_keeps_the_email_never_the_password_and_never_leaves_the_site() {
    for s in Server::each("ui sign in fails").await {
        s.workspace("acme").await;
        let anon = Browser::anonymous(&s);
        let res = anon
            .post(
                "/login",
                &[
                    ("email", "admin@acme.example.com"),
                    ("password", "not the password at all"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 401);
        assert!(res.text.contains("value=\"admin@acme.example.com\""));
        assert!(!res.text.contains("not the password at all"));
        assert!(res.text.contains("role=\"alert\""));
        for next in [
            "//evil.example/x",
            "https://evil.example",
            "/\\evil.example",
        ] {
            let res = anon
                .post(
                    "/login",
                    &[
                        ("email", "admin@acme.example.com"),
                        ("password", PASSWORD),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(res.status.as_u16(), 303);
            assert_eq!(location(&res), "/", "{next}");
        }
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    for s in Server::each("ui sign out").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b.submit("/logout", &[]).await;
        assert_eq!(res.status.as_u16(), 303);
        assert!(res.header("set-cookie").unwrap().contains("Max-Age=0"));
        // The old cookie no longer opens anything, even if the browser kept it.
        let res = b.get("/").await;
        assert_eq!(res.status.as_u16(), 303);
        assert!(location(&res).starts_with("/login"));
    }
}

#[tokio::test]
async fn every_state_changing_form_needs_the_sessions_token_and_the_same_origin() {
    for s in Server::each("ui csrf").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let missing = b.post("/companies", &[("name", "Forged")]).await;
        assert_eq!(missing.status.as_u16(), 403);
        let wrong = b
            .post("/companies", &[("_csrf", "guess"), ("name", "Forged")])
            .await;
        assert_eq!(wrong.status.as_u16(), 403);
        let cross = b
            .with(s.post("/companies"))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .raw(
                "application/x-www-form-urlencoded",
                form_body(&[("_csrf", &b.csrf), ("name", "Forged")]),
            )
            .send()
            .await;
        assert_eq!(cross.status.as_u16(), 403);
        let list = b.get("/companies?q=Forged").await;
        assert!(
            !list.text.contains("Forged</a>"),
            "a forged form stored something"
        );
        let ok = b.submit("/companies", &[("name", "Genuine")]).await;
        assert_eq!(ok.status.as_u16(), 303, "{}", ok.text);
    }
}

#[tokio::test]
async fn pages_carry_the_token_masked_afresh_and_go_out_compressed() {
    for s in Server::each("ui csrf mask").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let one = b.get("/companies").await;
        let two = b.get("/companies").await;
        let (t1, t2) = (
            attr(&one.text, "data-csrf=\"").unwrap(),
            attr(&two.text, "data-csrf=\"").unwrap(),
        );
        // No two pages carry the same secret bytes, so a compressed page cannot leak it.
        assert_ne!(t1, t2);
        assert!(
            !two.text.contains(&b.csrf),
            "the first page's token reappeared"
        );
        for (i, t) in [t1, t2].into_iter().enumerate() {
            let name = format!("Masked {i}");
            let ok = b.post("/companies", &[("_csrf", t), ("name", &name)]).await;
            assert_eq!(ok.status.as_u16(), 303, "{}", ok.text);
        }
        // A masked token with one character changed is no token.
        let mut tampered = t2.to_owned();
        let last = if tampered.ends_with('A') { "B" } else { "A" };
        tampered.replace_range(tampered.len() - 1.., last);
        let refused = b
            .post("/companies", &[("_csrf", &tampered), ("name", "Forged")])
            .await;
        assert_eq!(refused.status.as_u16(), 403);

        let plain = b.get("/companies").await;
        let gzipped = b
            .with(s.get("/companies"))
            .header("accept-encoding", "gzip")
            .send()
            .await;
        assert_eq!(gzipped.status.as_u16(), 200);
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
        assert_eq!(plain.header("content-encoding"), None);
        // The gzip magic (1f 8b), not the page's text.
        assert!(
            gzipped.text.starts_with('\u{1f}'),
            "{}",
            &gzipped.text[..20]
        );
        assert!(plain.text.contains("</html>") && !gzipped.text.contains("</html>"));
    }
}

#[tokio::test]
async fn a_company_a_contact_and_a_logged_call_show_on_the_record_pages() {
    for s in Server::each("ui journey").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/companies",
                &[("name", "Kowalski & Sons"), ("domain", "kowalski.example")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let company = location(&res).to_owned();
        assert!(company.starts_with("/companies/"));
        // The company is typed by name; the form finds the one record it means.
        let res = b
            .submit(
                "/contacts",
                &[
                    ("first_name", "Ewa"),
                    ("last_name", "Kowalska"),
                    ("company_id", "Kowalski"),
                    ("emails", "ewa@kowalski.example\newa.k@kowalski.example"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let contact = location(&res).to_owned();
        // Its edit form shows the company by name again, as it was typed.
        let form = b.get(&format!("{contact}/edit")).await;
        assert_eq!(
            attr(&form.text, "name=\"company_id\" type=\"text\" value=\""),
            Some("Kowalski &#38; Sons"),
            "{}",
            form.text
        );
        let res = b
            .submit(
                &format!("{contact}/activities"),
                &[
                    ("kind", "call"),
                    ("subject", "Discussed the renewal"),
                    ("body", "Wants a quote by Friday"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let page = b.get(&contact).await;
        assert_eq!(page.status.as_u16(), 200);
        assert!(
            page.text.contains("Kowalski &#38; Sons") || page.text.contains("Kowalski &amp; Sons"),
            "{}",
            page.text
        );
        assert!(page.text.contains("ewa.k@kowalski.example"));
        assert!(
            page.text.contains("Discussed the renewal"),
            "the call is on the timeline"
        );
        let page = b.get(&company).await;
        assert!(
            page.text.contains("Ewa Kowalska"),
            "the contact is related to the company"
        );
        assert!(
            page.text.contains("Discussed the renewal"),
            "the company timeline has the call"
        );
        // A logged call is done, so it is not a task on the home page.
        let home = b.get("/").await;
        assert!(!home.text.contains("Discussed the renewal"));
    }
}

#[tokio::test]
async fn a_form_with_errors_keeps_everything_typed_and_puts_each_message_by_its_field() {
    for s in Server::each("ui form errors").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/opportunities",
                &[
                    ("name", "Half-typed deal"),
                    ("amount", "12,5x"),
                    ("amount__currency", "EUR"),
                    ("next_step", "call back"),
                    ("company_id", "No such company"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("value=\"Half-typed deal\""));
        assert!(res.text.contains("value=\"12,5x\""));
        assert!(res.text.contains("value=\"call back\""));
        assert!(
            res.text.contains("id=\"f-company_id-error\""),
            "{}",
            res.text
        );
        let list = b.get("/opportunities").await;
        assert!(!list.text.contains("Half-typed deal"), "nothing was stored");
        // Fixed, the same form goes through.
        let res = b
            .submit(
                "/opportunities",
                &[
                    ("name", "Half-typed deal"),
                    ("amount", "12.50"),
                    ("amount__currency", "EUR"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
    }
}

#[tokio::test]
async fn editing_changes_only_what_was_touched_and_a_stale_form_is_a_conflict() {
    for s in Server::each("ui edit").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/contacts",
                &[
                    ("first_name", "Ada"),
                    ("last_name", "Lovelace"),
                    ("title", "Countess"),
                ],
            )
            .await;
        let contact = location(&res).to_owned();
        let form = b.get(&format!("{contact}/edit")).await;
        assert_eq!(form.status.as_u16(), 200);
        let version = attr(&form.text, "name=\"_version\" value=\"")
            .unwrap()
            .to_owned();
        let res = b
            .submit(
                &contact,
                &[
                    ("_version", &version),
                    ("first_name", "Ada"),
                    ("last_name", "King"),
                    ("title", "Countess"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let page = b.get(&contact).await;
        assert!(page.text.contains("Ada King") && page.text.contains("Countess"));
        // The same old version again: someone saved in between.
        let res = b
            .submit(
                &contact,
                &[
                    ("_version", &version),
                    ("first_name", "Augusta"),
                    ("last_name", "King"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 409, "{}", res.text);
        assert!(
            res.text.contains("value=\"Augusta\""),
            "what was typed is kept"
        );
        assert!(!b.get(&contact).await.text.contains("Augusta"));
    }
}

#[tokio::test]
async fn lists_filter_sort_and_page_by_cursor_under_the_access_policy() {
    for s in Server::each("ui lists").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "rep@acme.example.com", Role::Rep).await;
        s.user(ws, "other@acme.example.com", Role::Rep).await;
        let rep = Browser::signed_in(&s, "rep@acme.example.com").await;
        let other = Browser::signed_in(&s, "other@acme.example.com").await;
        for i in 0..55 {
            let name = format!("Firm {i:02}");
            let res = rep
                .submit("/companies", &[("name", &name), ("industry", "Mining")])
                .await;
            assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        }
        let res = other
            .submit(
                "/companies",
                &[("name", "Secret firm"), ("visibility", "private")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let secret = location(&res).to_owned();
        other.submit(&secret, &[("name", "Secret firm")]).await;
        // The form's rows become the API's filter syntax in a shareable address.
        let res = rep
            .get("/companies?ff=industry&fo=eq&fv=Mining&ff=&fo=eq&fv=&sort=name")
            .await;
        assert_eq!(res.status.as_u16(), 303);
        let canonical = location(&res).to_owned();
        assert_eq!(
            canonical,
            "/companies?filter%5Bindustry%5D%5Beq%5D=Mining&sort=name"
        );
        let first = rep.get(&canonical).await;
        assert_eq!(first.status.as_u16(), 200);
        assert!(first.text.contains(">Firm 00<") && first.text.contains(">Firm 49<"));
        assert!(!first.text.contains(">Firm 50<"));
        assert!(first.text.contains("aria-sort=\"ascending\""));
        let next = attr(&first.text, "<a href=\"").map(str::to_owned);
        assert!(next.is_some());
        let next_href = first
            .text
            .split("rel=\"next\"")
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|h| h.split('"').next())
            .unwrap()
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        let second = rep.get(&next_href).await;
        assert_eq!(second.status.as_u16(), 200, "{next_href}");
        assert!(second.text.contains(">Firm 50<") && second.text.contains(">Firm 54<"));
        assert!(!second.text.contains(">Firm 49<"));
        // A private record of someone else is in no list and no page of a rep.
        let all = rep.get("/companies?q=Secret").await;
        assert!(!all.text.contains("Secret firm"));
        assert_eq!(rep.get(&secret).await.status.as_u16(), 404);
        // A malformed filter is a message on the list, not a broken page.
        let bad = rep.get("/companies?filter%5Bnope%5D%5Beq%5D=1").await;
        assert_eq!(bad.status.as_u16(), 200);
        assert!(bad.text.contains("role=\"alert\""));
        // The CSV of the view holds exactly what the list shows.
        let csv = rep
            .get("/companies/export.csv?filter%5Bindustry%5D%5Beq%5D=Mining")
            .await;
        assert_eq!(csv.status.as_u16(), 200);
        assert_eq!(csv.text.lines().count(), 56, "a header and 55 firms");
        assert!(!csv.text.contains("Secret firm"));
    }
}

#[tokio::test]
async fn bulk_actions_change_only_records_the_reader_may_change() {
    for s in Server::each("ui bulk").await {
        let (ws, _) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        let mut ids = Vec::new();
        for name in ["Alpha", "Beta", "Gamma"] {
            let res = admin.submit("/companies", &[("name", name)]).await;
            ids.push(location(&res).rsplit('/').next().unwrap().to_owned());
        }
        let rep_id = {
            use rapport_core::Id;
            rep.id.as_uuid().to_string()
        };
        let res = admin
            .submit(
                "/companies/bulk",
                &[
                    ("action", "assign"),
                    ("owner_id", &rep_id),
                    ("id", &ids[0]),
                    ("id", &ids[1]),
                    ("back", "/companies"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303);
        assert_eq!(location(&res), "/companies?done=2&failed=0");
        let rep_b = Browser::signed_in(&s, "rep@acme.example.com").await;
        let res = rep_b
            .submit(
                "/companies/bulk",
                &[
                    ("action", "delete"),
                    ("id", &ids[0]),
                    ("id", &ids[2]),
                    ("back", "/companies"),
                ],
            )
            .await;
        // The rep may delete what they now own, not the admin's company.
        assert_eq!(location(&res), "/companies?done=1&failed=1");
        let list = admin.get("/companies").await;
        assert!(!list.text.contains("Alpha") && list.text.contains("Gamma"));
        let res = admin
            .submit(
                "/companies/bulk",
                &[
                    ("action", "delete"),
                    ("id", &ids[2]),
                    ("back", "https://evil.example"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/?done=1&failed=0");
        assert!(!admin.get("/companies").await.text.contains("Gamma"));
    }
}

/// SECURITY.md's markup payloads, stored in text fields, come back as text.
#[tokio::test]
async fn stored_markup_is_shown_as_text_on_every_page() {
    let payloads = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "{{7*7}} ${7*7} <svg/onload=alert(1)>",
    ];
    for s in Server::each("ui escaping").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        for p in payloads {
            let res = b
                .submit(
                    "/contacts",
                    &[
                        ("first_name", p),
                        ("last_name", p),
                        ("title", p),
                        ("description", p),
                    ],
                )
                .await;
            assert_eq!(res.status.as_u16(), 303, "{}", res.text);
            let page = location(&res).to_owned();
            b.submit(
                &format!("{page}/activities"),
                &[("kind", "note"), ("subject", p), ("body", p)],
            )
            .await;
            for path in [
                page.clone(),
                "/contacts".to_owned(),
                format!("/search?q={}", "alert"),
            ] {
                let html = b.get(&path).await.text;
                for raw in ["<script>alert", "<img src=x", "<svg/onload"] {
                    assert!(!html.contains(raw), "{raw} unescaped on {path}");
                }
            }
        }
    }
}

#[tokio::test]
async fn pages_speak_the_profile_language_else_the_browsers() {
    for s in Server::each("ui languages").await {
        s.workspace("acme").await;
        let mut anon = Browser::anonymous(&s);
        anon.lang = Some("es-ES,es;q=0.9,en;q=0.5");
        let login = anon.get("/login").await;
        assert!(login.text.contains("<html lang=\"es\">"));
        assert!(
            login.text.contains("Iniciar sesión") || login.text.contains("Inicia sesión"),
            "{}",
            login.text
        );
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/profile",
                &[
                    ("display_name", "Admin"),
                    ("locale", "pl"),
                    ("time_zone", "Europe/Warsaw"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let home = b.get("/").await;
        assert!(home.text.contains("<html lang=\"pl\">"));
        assert!(home.text.contains("Kontakty"), "{}", home.text);
        assert!(!home.text.contains(">Contacts<"));
        let res = b
            .submit(
                "/profile",
                &[
                    ("display_name", ""),
                    ("locale", "xx"),
                    ("time_zone", "Mars/Base"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422);
        assert!(res.text.contains("id=\"time_zone-error\""));
        assert!(
            res.text.contains("value=\"Mars/Base\""),
            "what was typed is kept"
        );
    }
}

#[tokio::test]
async fn a_token_made_on_the_profile_page_is_shown_once_and_can_be_revoked() {
    for s in Server::each("ui tokens").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit("/profile/tokens", &[("name", "laptop"), ("scope", "read")])
            .await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        let secret = res
            .text
            .split("<code id=\"new-token\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_owned();
        assert!(secret.starts_with("rpt_"));
        let api = s.get("/api/v1/me").bearer(&secret).send().await;
        assert_eq!(api.status.as_u16(), 200);
        let profile = b.get("/profile").await;
        assert!(
            !profile.text.contains(&secret),
            "the secret is never shown again"
        );
        let row = profile
            .text
            .split("<tr>")
            .find(|r| r.contains("laptop"))
            .unwrap();
        let id = attr(row, "action=\"/profile/tokens/")
            .unwrap()
            .trim_end_matches("/revoke")
            .to_owned();
        let res = b.submit(&format!("/profile/tokens/{id}/revoke"), &[]).await;
        assert_eq!(res.status.as_u16(), 303);
        let api = s.get("/api/v1/me").bearer(&secret).send().await;
        assert_eq!(api.status.as_u16(), 401);
    }
}

#[tokio::test]
async fn assets_are_embedded_cached_and_the_pages_allow_no_inline_script() {
    for s in Server::each("ui assets").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let home = b.get("/").await;
        let csp = home.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{csp}"
        );
        for name in ["app.css", "app.js", "htmx.min.js"] {
            let href = attr(&home.text, &format!("/assets/{name}?v="))
                .map(|v| format!("/assets/{name}?v={v}"))
                .unwrap();
            let res = s.get(&href).send().await;
            assert_eq!(res.status.as_u16(), 200);
            assert!(res.header("cache-control").unwrap().contains("immutable"));
        }
        assert_eq!(
            s.get("/assets/../Cargo.toml").send().await.status.as_u16(),
            404
        );
        // No inline script or style and no htmx code attributes in any page.
        for html in [home.text.as_str(), b.get("/contacts").await.text.as_str()] {
            assert!(!html.contains("<script>"), "inline script");
            assert!(!html.contains(" style="), "inline style");
            assert!(!html.contains("hx-on"), "hx-on evaluates code");
            assert!(!html.contains("onclick"), "inline handler");
        }
    }
}

const UI_TABLE: &str = include_str!("ui_route_roles.txt");

/// Who gets what from every UI route: anonymous visitors are sent to sign in, read-only
/// users read but change nothing, reps change what they own, admins everything.
#[tokio::test]
async fn every_ui_route_answers_each_role_as_the_table_says() {
    let served = rapport_web::ui::route_list();
    let mut table: Vec<(String, String, Vec<u16>)> = Vec::new();
    for line in UI_TABLE
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols.len(), 6, "bad line in ui_route_roles.txt: {line}");
        table.push((
            cols[0].to_owned(),
            cols[1].to_owned(),
            cols[2..].iter().map(|c| c.parse().unwrap()).collect(),
        ));
    }
    let missing: Vec<_> = served
        .iter()
        .filter(|(m, p)| !table.iter().any(|(tm, tp, _)| tm == m && tp == p))
        .collect();
    assert!(
        missing.is_empty(),
        "UI routes missing from ui_route_roles.txt: {missing:?}"
    );
    let extra: Vec<_> = table
        .iter()
        .filter(|(m, p, _)| !served.iter().any(|(sm, sp)| sm == m && sp == p))
        .collect();
    assert!(
        extra.is_empty(),
        "ui_route_roles.txt names routes that do not exist: {extra:?}"
    );

    for s in Server::each("ui route roles").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "viewer@acme.example.com", Role::ReadOnly).await;
        s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        let mut fixtures = std::collections::HashMap::new();
        for (object, field, value) in [
            ("companies", "name", "Owned by admin"),
            ("contacts", "last_name", "Owned by admin"),
            ("leads", "last_name", "Owned by admin"),
            ("opportunities", "name", "Owned by admin"),
            ("activities", "subject", "Owned by admin"),
        ] {
            let res = admin
                .submit(&format!("/{object}"), &[(field, value), ("kind", "task")])
                .await;
            assert_eq!(res.status.as_u16(), 303, "{object}: {}", res.text);
            fixtures.insert(
                object,
                location(&res).rsplit('/').next().unwrap().to_owned(),
            );
        }
        let mut mismatches = Vec::new();
        for (method, path, expected) in &table {
            for (i, who) in [None, Some("viewer"), Some("rep"), Some("admin")]
                .iter()
                .enumerate()
            {
                // Each role signs in afresh: logout and password routes end sessions.
                let b = match who {
                    None => Browser::anonymous(&s),
                    Some(w) => Browser::signed_in(&s, &format!("{w}@acme.example.com")).await,
                };
                let object = path.split('/').nth(1).unwrap_or_default();
                let concrete = match fixtures.get(object) {
                    Some(id) => path.replace("{id}", id),
                    None => path
                        .replace("{id}", "00000000-0000-7000-8000-000000000000")
                        .replace("{file}", "app.css"),
                };
                let res = if method == "GET" {
                    b.get(&concrete).await
                } else {
                    b.submit(&concrete, &[]).await
                };
                let got = res.status.as_u16();
                if got != expected[i] {
                    mismatches.push(format!(
                        "{method} {path} as {}: expected {}, got {got}",
                        who.unwrap_or("anon"),
                        expected[i]
                    ));
                }
            }
        }
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
        let _ = Method::GET;
    }
}

#[tokio::test]
async fn the_calendar_puts_each_activity_on_its_local_day_for_the_week_and_the_month() {
    for s in Server::each("ui calendar").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/profile",
                &[
                    ("display_name", "Admin"),
                    ("locale", "en"),
                    ("time_zone", "Europe/Warsaw"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303);
        // 23:30 in Warsaw on Tuesday is Tuesday on the calendar, though UTC says 22:30.
        let entries = [
            ("Late call", "2026-11-24T23:30"),
            ("Monday 1", "2026-11-23T09:00"),
            ("Monday 2", "2026-11-23T10:00"),
            ("Monday 3", "2026-11-23T11:00"),
            ("Monday 4", "2026-11-23T12:00"),
            ("Monday 5", "2026-11-23T13:00"),
            ("Next week", "2026-12-01T09:00"),
        ];
        for (subject, due) in entries {
            let res = b
                .submit(
                    "/activities",
                    &[("kind", "meeting"), ("subject", subject), ("due_at", due)],
                )
                .await;
            assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        }
        let week = b.get("/calendar?view=week&date=2026-11-25").await;
        assert_eq!(week.status.as_u16(), 200, "{}", week.text);
        let days: Vec<&str> = week.text.split("<li class=\"day").skip(1).collect();
        assert_eq!(days.len(), 7);
        assert!(days[0].contains("Nov 23, 2026") && days[0].contains("Monday 5"));
        assert!(
            days[1].contains("Late call") && days[1].contains("11:30"),
            "{}",
            days[1]
        );
        assert!(!week.text.contains("Next week"));
        let month = b.get("/calendar?view=month&date=2026-11-25").await;
        let days: Vec<&str> = month.text.split("<li class=\"day").skip(1).collect();
        assert_eq!(days.len(), 42, "November 2026 spans six weeks");
        let monday = days.iter().find(|d| d.contains("Nov 23, 2026")).unwrap();
        assert!(monday.contains("Monday 4") && !monday.contains("Monday 5"));
        assert!(monday.contains("one more"), "{monday}");
        assert!(month.text.contains("Next week"));
    }
}

#[tokio::test]
async fn a_saved_view_brings_back_its_filters_and_belongs_to_its_user_only() {
    for s in Server::each("ui saved views").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        for (name, industry) in [("Quarry", "Mining"), ("Bakery", "Food")] {
            b.submit("/companies", &[("name", name), ("industry", industry)])
                .await;
        }
        let query = "filter%5Bindustry%5D%5Beq%5D=Mining&sort=name";
        let res = b
            .submit("/companies/views", &[("name", "Miners"), ("query", query)])
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        assert_eq!(location(&res), format!("/companies?{query}"));
        let list = b.get("/companies").await;
        assert!(list.text.contains(">Miners</a>"), "{}", list.text);
        let shown = b.get(location(&res)).await;
        assert!(shown.text.contains("Quarry") && !shown.text.contains("Bakery"));
        assert!(shown.text.contains("aria-current=\"page\">Miners"));
        // The same name twice is refused; a query the list refuses is refused.
        let again = b
            .submit("/companies/views", &[("name", "Miners"), ("query", "")])
            .await;
        assert_eq!(again.status.as_u16(), 422);
        let bad = b
            .submit(
                "/companies/views",
                &[("name", "Bad"), ("query", "filter[nope][eq]=1")],
            )
            .await;
        assert_eq!(bad.status.as_u16(), 422);
        // Another user neither sees nor deletes it.
        let rep = Browser::signed_in(&s, "rep@acme.example.com").await;
        assert!(!rep.get("/companies").await.text.contains(">Miners</a>"));
        let api = s
            .get("/api/v1/views")
            .bearer(&b_token(&s, ws).await)
            .send()
            .await;
        let id = api.json["data"][0]["id"].as_str().unwrap().to_owned();
        let res = rep.submit(&format!("/views/{id}/delete"), &[]).await;
        assert_eq!(res.status.as_u16(), 404);
        let res = b
            .submit(&format!("/views/{id}/delete"), &[("back", "/companies")])
            .await;
        assert_eq!(res.status.as_u16(), 303);
        assert!(!b.get("/companies").await.text.contains(">Miners</a>"));
    }
}

async fn b_token(s: &Server, ws: rapport_core::WorkspaceId) -> String {
    let admin = rapport_app::users::find_by_email(&s.app, ws, "admin@acme.example.com")
        .await
        .unwrap();
    s.token(ws, admin.id, "read").await
}

/// The ids of a board's columns, in order.
fn stage_ids(html: &str) -> Vec<String> {
    html.split("data-stage-id=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_owned())
        .collect()
}

/// The part of a board page that is the column of `stage`.
fn column<'t>(html: &'t str, stage: &str) -> &'t str {
    let start = html
        .find(&format!("data-stage-id=\"{stage}\""))
        .unwrap_or_else(|| panic!("no column {stage}: {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

#[tokio::test]
async fn the_board_shows_deals_by_stage_and_moves_them_by_the_rules() {
    for s in Server::each("ui board").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "viewer@acme.example.com", Role::ReadOnly).await;
        let rep = s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/opportunities",
                &[
                    ("name", "Board deal"),
                    ("amount", "1200.00"),
                    ("amount__currency", "EUR"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let deal = location(&res).rsplit('/').next().unwrap().to_owned();
        let res = b
            .submit(
                "/opportunities",
                &[
                    ("name", "Dollar deal"),
                    ("amount", "300"),
                    ("amount__currency", "USD"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);

        let list = b.get("/opportunities").await;
        assert!(list.text.contains("href=\"/opportunities/board\""));
        let board = b.get("/opportunities/board").await;
        assert_eq!(board.status.as_u16(), 200, "{}", board.text);
        let stages = stage_ids(&board.text);
        assert_eq!(stages.len(), 6, "the default pipeline's stages");
        let first = column(&board.text, &stages[0]);
        assert!(first.contains("Board deal") && first.contains("Dollar deal"));
        assert!(first.contains("data-count>2<"), "{first}");
        // Without a rate for dollars, they are listed apart, never added up at par.
        assert!(
            first.contains("€1,200.00") && first.contains("$300.00"),
            "{first}"
        );
        assert!(first.contains("€120.00"), "weighted at 10 %: {first}");
        assert!(board.text.contains("id=\"move-dialog\""));

        // Filtered by another owner, the admin's deals are not on the board.
        use rapport_core::Id;
        let theirs = b
            .get(&format!("/opportunities/board?owner={}", rep.id.as_uuid()))
            .await;
        assert_eq!(theirs.status.as_u16(), 200);
        assert!(!theirs.text.contains("Board deal"));

        // The card's form moves it to another open stage and comes back to the board.
        let path = format!("/opportunities/{deal}/stage");
        let res = b
            .submit(
                &path,
                &[
                    ("stage_id", stages[2].as_str()),
                    ("back", "/opportunities/board"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        assert_eq!(location(&res), "/opportunities/board?moved=1");
        let board = b.get(location(&res)).await;
        assert!(column(&board.text, &stages[2]).contains("Board deal"));
        assert!(!column(&board.text, &stages[0]).contains("Board deal"));
        assert!(board.text.contains("role=\"status\""));
        // The move is on the deal's own timeline, by name.
        let third = rapport_core::pipeline::DEFAULT_STAGES[2].0;
        let deal_page = b.get(&format!("/opportunities/{deal}")).await;
        let timeline = deal_page.text.split("id=\"timeline\"").nth(1).unwrap();
        assert!(
            timeline.contains(&format!("moved it to {third}")),
            "{timeline}"
        );

        // Lost needs a reason: the page asks for it by its field and nothing moves.
        let res = b
            .submit(
                &path,
                &[("stage_id", stages[5].as_str()), ("back", "//evil.example")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("id=\"m-reason-error\""), "{}", res.text);
        assert!(res.text.contains("say why the opportunity was lost"));
        assert!(
            res.text.contains("name=\"back\" value=\"/\""),
            "no open redirect"
        );
        let board = b.get("/opportunities/board").await;
        assert!(column(&board.text, &stages[2]).contains("Board deal"));
        let res = b
            .submit(
                &path,
                &[
                    ("stage_id", stages[5].as_str()),
                    ("lost_reason", "Budget cut"),
                    ("back", "/opportunities/board"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let board = b.get("/opportunities/board").await;
        assert!(column(&board.text, &stages[5]).contains("Board deal"));
        let page = b.get(&format!("/opportunities/{deal}")).await;
        assert!(page.text.contains("Budget cut"));

        // Won without an amount asks for one, keeping the date that was typed.
        let res = b
            .submit(
                &path,
                &[
                    ("stage_id", stages[4].as_str()),
                    ("amount", "0"),
                    ("amount__currency", "EUR"),
                    ("close_date", "2026-03-01"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("id=\"m-amount-error\""), "{}", res.text);
        assert!(res.text.contains("value=\"2026-03-01\""));

        // A read-only user sees the board but moves nothing.
        let viewer = Browser::signed_in(&s, "viewer@acme.example.com").await;
        assert_eq!(
            viewer.get("/opportunities/board").await.status.as_u16(),
            200
        );
        let res = viewer
            .submit(&path, &[("stage_id", stages[0].as_str())])
            .await;
        assert_eq!(res.status.as_u16(), 403);
        let board = b.get("/opportunities/board").await;
        assert!(column(&board.text, &stages[5]).contains("Board deal"));
    }
}

#[tokio::test]
async fn a_lead_converts_once_into_a_contact_a_company_and_maybe_a_deal() {
    for s in Server::each("ui convert").await {
        s.workspace("acme").await;
        let b = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = b
            .submit(
                "/leads",
                &[
                    ("first_name", "Jan"),
                    ("last_name", "Nowak"),
                    ("company_name", "Nowak Logistics"),
                    ("email", "jan@nowak.example"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let lead = location(&res).to_owned();
        let page = b.get(&lead).await;
        assert!(page.text.contains(&format!("href=\"{lead}/convert\"")));
        let form = b.get(&format!("{lead}/convert")).await;
        assert_eq!(form.status.as_u16(), 200, "{}", form.text);
        assert!(form.text.contains("Nowak Logistics"));

        let res = b
            .submit(
                &format!("{lead}/convert"),
                &[("company_mode", "new"), ("contact_mode", "new")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let contact = location(&res).to_owned();
        assert!(contact.starts_with("/contacts/"), "{contact}");
        let page = b.get(&contact).await;
        assert!(page.text.contains("Nowak"), "{}", page.text);
        assert!(
            page.text.contains("Nowak Logistics"),
            "linked to the new company"
        );
        assert!(page.text.contains("jan@nowak.example"));
        let page = b.get(&lead).await;
        assert!(!page.text.contains(&format!("href=\"{lead}/convert\"")));

        // Twice is refused with a clear message and a way to the contact.
        let res = b
            .submit(
                &format!("{lead}/convert"),
                &[("company_mode", "new"), ("contact_mode", "new")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 409, "{}", res.text);
        assert!(res.text.contains("This lead was converted already."));
        assert!(res.text.contains(&format!("href=\"{contact}\"")));

        // A second lead links the existing company by name and opens a deal.
        let res = b
            .submit(
                "/leads",
                &[
                    ("last_name", "Kowalczyk"),
                    ("company_name", "Nowak Logistics"),
                ],
            )
            .await;
        let second = location(&res).to_owned();
        let res = b
            .submit(
                &format!("{second}/convert"),
                &[
                    ("company_mode", "existing"),
                    ("company", "No such company"),
                    ("contact_mode", "new"),
                    ("opportunity", "true"),
                    ("opportunity_name", "Nowak renewal"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("id=\"cv-company-error\""));
        assert!(res.text.contains("value=\"No such company\""));
        assert!(res.text.contains("value=\"Nowak renewal\""));
        let res = b
            .submit(
                &format!("{second}/convert"),
                &[
                    ("company_mode", "existing"),
                    ("company", "Nowak Logistics"),
                    ("contact_mode", "new"),
                    ("opportunity", "true"),
                    ("opportunity_name", "Nowak renewal"),
                    ("opportunity_amount", "500"),
                    ("opportunity_amount__currency", "EUR"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let deal = location(&res).to_owned();
        assert!(deal.starts_with("/opportunities/"), "{deal}");
        let page = b.get(&deal).await;
        assert!(page.text.contains("Nowak renewal") && page.text.contains("€500.00"));
        let companies = b.get("/companies?q=Nowak").await;
        assert_eq!(
            companies.text.matches("name=\"id\" value=").count(),
            1,
            "the company was linked, not made again: {}",
            companies.text
        );
    }
}

#[tokio::test]
async fn sharing_from_the_record_page_opens_a_private_record_to_one_user_until_it_ends() {
    for s in Server::each("ui shares").await {
        let (ws, _) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        let res = admin
            .submit(
                "/companies",
                &[("name", "Hidden Ltd"), ("visibility", "private")],
            )
            .await;
        let company = location(&res).to_owned();
        let rep_b = Browser::signed_in(&s, "rep@acme.example.com").await;
        assert_eq!(rep_b.get(&company).await.status.as_u16(), 404);
        let grantee = {
            use rapport_core::Id;
            format!("user:{}", rep.id.as_uuid())
        };
        let res = admin
            .submit(
                &format!("{company}/shares"),
                &[("grantee", &grantee), ("access", "read")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let seen = rep_b.get(&company).await;
        assert_eq!(seen.status.as_u16(), 200);
        let page = admin.get(&company).await;
        let share = attr(&page.text, "action=\"/shares/")
            .unwrap()
            .trim_end_matches("/delete")
            .to_owned();
        let res = rep_b.submit(&format!("/shares/{share}/delete"), &[]).await;
        assert_eq!(res.status.as_u16(), 403, "a reader may not end the share");
        let res = admin
            .submit(&format!("/shares/{share}/delete"), &[("back", &company)])
            .await;
        assert_eq!(res.status.as_u16(), 303);
        assert_eq!(rep_b.get(&company).await.status.as_u16(), 404);
    }
}

/// The header's search box asks htmx for results while one types: a fragment (no page
/// around it) of links under the access policy, ending with a link to all results.
#[tokio::test]
async fn quick_search_answers_htmx_with_a_fragment_of_readable_records_only() {
    for s in Server::each("ui quick search").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        for (name, visibility) in [("Quokka Open", "workspace"), ("Quokka Secret", "private")] {
            let res = admin
                .submit("/companies", &[("name", name), ("visibility", visibility)])
                .await;
            assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        }
        let rep = Browser::signed_in(&s, "rep@acme.example.com").await;
        async fn quick(b: &Browser<'_>, q: &str) -> Res {
            b.with(b.s.get(&format!("/search?q={q}")))
                .header("hx-request", "true")
                .send()
                .await
        }
        let res = quick(&rep, "quok").await;
        assert_eq!(res.status.as_u16(), 200);
        assert!(!res.text.contains("<html"), "a fragment: {}", res.text);
        assert!(res.text.contains("Quokka Open"));
        assert!(
            !res.text.contains("Quokka Secret"),
            "not readable by the rep"
        );
        assert!(res.text.contains("href=\"/search?q=quok\""));
        let res = quick(&admin, "quok").await;
        assert!(res.text.contains("Quokka Secret"));
        let none = quick(&admin, "zzzzqq").await;
        assert!(none.text.contains("Nothing found"), "{}", none.text);
        let empty = quick(&admin, "").await;
        assert_eq!(empty.text, "", "nothing to show under an empty box");
        let page = rep.get("/search?q=quok").await;
        assert!(page.text.contains("<html") && page.text.contains("Quokka Open"));
    }
}
