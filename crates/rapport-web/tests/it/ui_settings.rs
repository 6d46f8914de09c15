//! The admin's settings pages over HTTP, on both databases: users and teams, roles, pipelines
//! and stages, custom fields (and that they reach forms, lists and filters at once), field
//! rules, default visibility and the audit log.

use std::time::Duration;

use rapport_core::Role;

use crate::support::Server;
use crate::ui::{Browser, attr, location};

/// The `href` of the link whose text is `text`.
fn link_to<'t>(html: &'t str, text: &str) -> &'t str {
    let end = html
        .find(&format!("\">{text}</a>"))
        .unwrap_or_else(|| panic!("no link {text}"));
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    &html[start..end]
}

/// The body of the table with this id.
fn table_body<'t>(html: &'t str, id: &str) -> &'t str {
    let start = html
        .find(&format!("<table class=\"data\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table {id}"));
    let rest = &html[start..];
    let body = rest.find("<tbody>").unwrap();
    let end = rest.find("</tbody>").unwrap();
    &rest[body..end]
}

fn version(html: &str) -> String {
    attr(html, "name=\"_version\" value=\"").unwrap().to_owned()
}

#[tokio::test]
async fn an_admin_adds_a_team_and_a_user_who_signs_in_with_the_password_shown_once() {
    for s in Server::each("ui settings users").await {
        let (_ws, _) = s.workspace("acme").await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;

        let res = admin.submit("/settings/teams", &[("name", " ")]).await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("id=\"t-name-error\""));
        let res = admin
            .submit(
                "/settings/teams",
                &[("name", "North <b>"), ("parent_id", "")],
            )
            .await;
        assert_eq!(location(&res), "/settings/teams?done=created");
        let teams = admin.get("/settings/teams").await;
        assert!(teams.text.contains("North &#60;b&#62;"), "{}", teams.text);
        let team_href = link_to(&teams.text, "North &#60;b&#62;").to_owned();
        let team_id = team_href.rsplit('/').next().unwrap().to_owned();

        // A refused form keeps what was typed and says what is wrong by the field.
        let typed = [
            ("email", "not-an-email"),
            ("display_name", "Zoe Typed"),
            ("role", "rep"),
            ("team_id", team_id.as_str()),
            ("locale", "pl"),
            ("time_zone", "Europe/Warsaw"),
            ("password", "secret-never-echoed-1"),
        ];
        let res = admin.submit("/settings/users", &typed).await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("id=\"u-email-error\""));
        assert!(res.text.contains("value=\"Zoe Typed\""));
        assert!(res.text.contains("value=\"not-an-email\""));
        assert!(res.text.contains("value=\"Europe/Warsaw\""));
        assert!(!res.text.contains("secret-never-echoed-1"));

        let res = admin
            .submit(
                "/settings/users",
                &[
                    ("email", "zoe@acme.example.com"),
                    ("display_name", "Zoe"),
                    ("role", "rep"),
                    ("team_id", team_id.as_str()),
                    ("locale", "en"),
                    ("time_zone", "UTC"),
                    ("password", ""),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        let password = res
            .text
            .split("<code id=\"generated-password\">")
            .nth(1)
            .and_then(|r| r.split("</code>").next())
            .unwrap()
            .to_owned();
        assert!(password.len() >= 12);
        let again = admin.get("/settings/users").await;
        assert!(!again.text.contains(&password), "the password shows once");
        let team_page = admin.get(&team_href).await;
        assert!(team_page.text.contains(">Zoe</a>"), "a member of the team");

        s.clock.advance(Duration::from_secs(7));
        let zoe = Browser::anonymous(&s);
        let login = [
            ("email", "zoe@acme.example.com"),
            ("password", password.as_str()),
            ("next", "/"),
        ];
        assert_eq!(zoe.post("/login", &login).await.status.as_u16(), 303);

        // Promote and disable her; a stale form is a conflict, not a silent overwrite.
        let user_href = link_to(&again.text, "Zoe").to_owned();
        let page = admin.get(&user_href).await;
        let v = version(&page.text);
        // The box is left unticked: only its hidden "false" is sent.
        let change = [
            ("_version", v.as_str()),
            ("display_name", "Zoe"),
            ("role", "manager"),
            ("team_id", team_id.as_str()),
            ("locale", "en"),
            ("time_zone", "UTC"),
            ("enabled", "false"),
        ];
        let res = admin.submit(&user_href, &change).await;
        assert_eq!(location(&res), "/settings/users?done=saved", "{}", res.text);
        let list = admin.get("/settings/users").await;
        let body = table_body(&list.text, "users");
        let row = body.split("<tr>").find(|r| r.contains(">Zoe</a>")).unwrap();
        assert!(row.contains("Manager") && row.contains("Disabled"), "{row}");
        s.clock.advance(Duration::from_secs(7));
        assert_eq!(zoe.post("/login", &login).await.status.as_u16(), 401);
        let res = admin.submit(&user_href, &change).await;
        assert_eq!(res.status.as_u16(), 409, "the version moved on");

        // A team with members is not deleted: moving people is a decision.
        let res = admin.submit(&format!("{team_href}/delete"), &[]).await;
        assert_eq!(res.status.as_u16(), 409, "{}", res.text);
        assert!(
            admin
                .get("/settings/teams")
                .await
                .text
                .contains("North &#60;b&#62;")
        );
    }
}

#[tokio::test]
async fn a_custom_field_made_in_settings_is_in_forms_pages_lists_and_filters_at_once() {
    for s in Server::each("ui settings custom fields").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;

        let res = admin
            .submit(
                "/settings/fields",
                &[
                    ("object", "company"),
                    ("key", "Bad Key"),
                    ("label", "Tier typed"),
                    ("kind", "select"),
                    ("options", "Gold\nSilver"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("id=\"cf-key-error\""));
        assert!(res.text.contains("value=\"Tier typed\""));
        for (key, label, kind, options) in [
            ("tier", "Tier", "select", "Gold\nSilver\n"),
            ("seats", "Seats", "number", ""),
        ] {
            let res = admin
                .submit(
                    "/settings/fields",
                    &[
                        ("object", "company"),
                        ("key", key),
                        ("label", label),
                        ("kind", kind),
                        ("options", options),
                        ("required", "false"),
                    ],
                )
                .await;
            assert_eq!(
                location(&res),
                "/settings/fields?object=company&done=created",
                "{}",
                res.text
            );
        }
        let fields = admin.get("/settings/fields?object=company").await;
        assert!(fields.text.contains("custom.tier") && fields.text.contains("Gold, Silver"));

        let form = admin.get("/companies/new").await;
        assert!(form.text.contains("name=\"custom.tier\""), "{}", form.text);
        assert!(form.text.contains("<option value=\"Gold\">Gold</option>"));
        assert!(form.text.contains("name=\"custom.seats\""));

        let res = admin
            .submit(
                "/companies",
                &[("name", "Acme Tiered"), ("custom.tier", "Platinum")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(
            res.text.contains("id=\"f-custom-tier-error\""),
            "{}",
            res.text
        );
        assert!(res.text.contains("value=\"Acme Tiered\""));
        let res = admin
            .submit(
                "/companies",
                &[
                    ("name", "Acme Tiered"),
                    ("custom.tier", "Gold"),
                    ("custom.seats", "12,5"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let company = location(&res).to_owned();
        let page = admin.get(&company).await;
        assert!(page.text.contains("Tier") && page.text.contains("Gold"));
        assert!(
            page.text.contains("12.5"),
            "a number in the reader's notation"
        );

        let list = admin.get("/companies?cols=name,custom.tier").await;
        assert!(
            list.text.contains("value=\"custom.tier\""),
            "a column to choose"
        );
        assert!(
            table_body(&list.text, "records").contains("Gold"),
            "{}",
            list.text
        );
        let gold = admin
            .get("/companies?filter%5Bcustom.tier%5D%5Beq%5D=Gold")
            .await;
        assert!(gold.text.contains("Acme Tiered"));
        let silver = admin
            .get("/companies?filter%5Bcustom.tier%5D%5Beq%5D=Silver")
            .await;
        assert_eq!(silver.status.as_u16(), 200);
        assert!(!silver.text.contains("Acme Tiered"));

        // Editing sends only what changed, custom fields included.
        let edit = admin.get(&format!("{company}/edit")).await;
        let v = version(&edit.text);
        let res = admin
            .submit(&company, &[("_version", &v), ("custom.tier", "Silver")])
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let page = admin.get(&company).await;
        assert!(page.text.contains("Silver") && page.text.contains("12.5"));

        // Field rules: hidden from reps everywhere, or shown but not changeable.
        let res = admin
            .submit(
                "/settings/access/rules",
                &[("object", "company"), ("rule.rep.nonexistent", "hidden")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(res.text.contains("nonexistent is not a field"));
        let res = admin
            .submit(
                "/settings/access/rules",
                &[
                    ("object", "company"),
                    ("rule.rep.custom.tier", "hidden"),
                    ("rule.rep.custom.seats", "read_only"),
                    ("rule.manager.name", "editable"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/settings/access?object=company&done=saved");
        let rules = admin.get("/settings/access?object=company").await;
        assert!(rules.text.contains(
            "<select name=\"rule.rep.custom.tier\" aria-label=\"Tier for Sales rep\"><option value=\"editable\">Can change</option><option value=\"read_only\">Read only</option><option value=\"hidden\" selected>"
        ), "{}", rules.text);
        // "Can change" is offered only where it is true.
        let cell = |name: &str| {
            let at = rules.text.find(&format!("name=\"{name}\"")).unwrap();
            rules.text[at..]
                .split("</select>")
                .next()
                .unwrap()
                .to_owned()
        };
        assert!(cell("rule.rep.name").contains("Can change"));
        assert!(!cell("rule.read_only.name").contains("Can change"));
        assert!(!cell("rule.rep.created_at").contains("Can change"));
        assert!(cell("rule.rep.created_at").contains("Hidden"));
        let rep = Browser::signed_in(&s, "rep@acme.example.com").await;
        let rep_form = rep.get("/companies/new").await;
        assert!(!rep_form.text.contains("custom.tier"));
        assert!(
            rep_form
                .text
                .contains("name=\"custom.seats\" value=\"\" inputmode=\"decimal\" disabled")
        );
        let rep_page = rep.get(&company).await;
        assert_eq!(rep_page.status.as_u16(), 200);
        assert!(!rep_page.text.contains("Silver"), "hidden from reps");
        let rep_list = rep.get("/companies").await;
        assert!(!rep_list.text.contains("value=\"custom.tier\""));

        // The default visibility applies to records made without one.
        let res = admin
            .submit(
                "/settings/access/visibility",
                &[("object", "company"), ("default_visibility", "everyone")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422);
        let res = admin
            .submit(
                "/settings/access/visibility",
                &[("object", "company"), ("default_visibility", "private")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 303);
        let res = admin.submit("/companies", &[("name", "Quiet Ltd")]).await;
        let quiet = location(&res).to_owned();
        assert_eq!(rep.get(&quiet).await.status.as_u16(), 404);

        // Deleting the definition takes it out of the forms at once.
        let field_href = link_to(&fields.text, "Tier").to_owned();
        let res = admin.submit(&format!("{field_href}/delete"), &[]).await;
        assert_eq!(res.status.as_u16(), 303);
        assert!(
            !admin
                .get("/companies/new")
                .await
                .text
                .contains("custom.tier")
        );
    }
}

#[tokio::test]
async fn a_pipeline_and_its_stages_are_edited_in_one_form_with_each_error_on_its_row() {
    for s in Server::each("ui settings pipelines").await {
        let (_ws, _) = s.workspace("acme").await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        // The first deal makes the default pipeline.
        let res = admin
            .submit("/opportunities", &[("name", "Seed deal")])
            .await;
        assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        let new = admin.get("/settings/pipelines/new").await;
        assert!(new.text.contains("value=\"Qualification\""));

        let row = |id: &'static str,
                   name: &'static str,
                   kind: &'static str,
                   p: &'static str,
                   at: &'static str| {
            [
                ("stage_id", id),
                ("stage_position", at),
                ("stage_name", name),
                ("stage_kind", kind),
                ("stage_probability", p),
            ]
        };
        let mut form = vec![("name", "Renewals"), ("is_default", "false")];
        form.extend(row("", "Talk", "open", "20", "1"));
        form.extend(row("", "Signed", "won", "150", "2"));
        form.extend(row("", "", "open", "", "3"));
        let res = admin.submit("/settings/pipelines", &form).await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        assert!(
            res.text.contains("needs at least one lost stage"),
            "{}",
            res.text
        );
        assert!(
            res.text.contains("id=\"stage-1-error\""),
            "the bad probability's row"
        );
        assert!(res.text.contains("value=\"Talk\""));

        let mut form = vec![("name", "Renewals"), ("is_default", "false")];
        form.extend(row("", "Signed", "won", "100", "2"));
        form.extend(row("", "Talk", "open", "20", "1"));
        form.extend(row("", "Gone", "lost", "0", "3"));
        let res = admin.submit("/settings/pipelines", &form).await;
        assert_eq!(
            location(&res),
            "/settings/pipelines?done=created",
            "{}",
            res.text
        );
        let list = admin.get("/settings/pipelines").await;
        assert!(
            list.text.contains("Talk (20%) · Signed (100%) · Gone (0%)"),
            "stages in the order of their numbers: {}",
            list.text
        );

        let href = link_to(&list.text, "Renewals").to_owned();
        let page = admin.get(&href).await;
        let ids: Vec<String> = page
            .text
            .split("name=\"stage_id\" value=\"")
            .skip(1)
            .map(|r| r.split('"').next().unwrap().to_owned())
            .filter(|id| !id.is_empty())
            .collect();
        assert_eq!(ids.len(), 3);
        let v = version(&page.text);
        let mut form = vec![
            ("_version", v.as_str()),
            ("name", "Renewals 2027"),
            ("is_default", "false"),
        ];
        let (talk, signed, gone) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());
        form.extend([
            ("stage_id", talk),
            ("stage_position", "1"),
            ("stage_name", "Discovery"),
            ("stage_kind", "open"),
            ("stage_probability", "10"),
        ]);
        form.extend([
            ("stage_id", signed),
            ("stage_position", "3"),
            ("stage_name", "Signed"),
            ("stage_kind", "won"),
            ("stage_probability", "100"),
        ]);
        form.extend([
            ("stage_id", gone),
            ("stage_position", "4"),
            ("stage_name", "Gone"),
            ("stage_kind", "lost"),
            ("stage_probability", "0"),
        ]);
        form.extend(row("", "Proposal", "open", "60", "2"));
        let res = admin.submit(&href, &form).await;
        assert_eq!(
            location(&res),
            "/settings/pipelines?done=saved",
            "{}",
            res.text
        );
        let list = admin.get("/settings/pipelines").await;
        assert!(
            list.text
                .contains("Discovery (10%) · Proposal (60%) · Signed (100%) · Gone (0%)"),
            "{}",
            list.text
        );
        let res = admin.submit(&href, &form).await;
        assert_eq!(res.status.as_u16(), 409, "a stale form");

        let default_href = link_to(&list.text, "Sales").to_owned();
        let default_page = admin.get(&default_href).await;
        assert!(
            !default_page.text.contains("/delete\""),
            "no delete for the default"
        );
        let res = admin.submit(&format!("{default_href}/delete"), &[]).await;
        assert_eq!(res.status.as_u16(), 409);
        let res = admin.submit(&format!("{href}/delete"), &[]).await;
        assert_eq!(location(&res), "/settings/pipelines?done=deleted");
        assert!(
            !admin
                .get("/settings/pipelines")
                .await
                .text
                .contains("Renewals")
        );
    }
}

#[tokio::test]
async fn the_roles_page_follows_the_policy_and_the_audit_log_shows_who_did_what() {
    for s in Server::each("ui settings roles audit").await {
        let (ws, _) = s.workspace("acme").await;
        s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        let roles = admin.get("/settings/roles").await;
        assert_eq!(roles.status.as_u16(), 200);
        let body = table_body(&roles.text, "role-matrix");
        let row = body
            .split("<tr>")
            .find(|r| r.contains("A private record of a teammate"))
            .unwrap();
        let cells: Vec<&str> = row
            .split("<td>")
            .skip(1)
            .map(|c| c.split("</td>").next().unwrap())
            .collect();
        assert_eq!(
            cells,
            [
                "Read and change",
                "Read and change",
                "No access",
                "No access"
            ]
        );
        assert!(roles.text.contains("one user"), "{}", roles.text);

        let res = admin
            .submit("/settings/teams", &[("name", "Audited")])
            .await;
        assert_eq!(res.status.as_u16(), 303);
        let all = admin.get("/settings/audit").await;
        let rows = table_body(&all.text, "audit");
        assert!(rows.contains("Team created") && rows.contains("Signed in"));
        let only = admin.get("/settings/audit?action=team.created").await;
        let rows = table_body(&only.text, "audit");
        assert!(rows.contains("Team created") && !rows.contains("Signed in"));
        assert!(rows.contains("Audited"), "the entry's detail: {rows}");
        let res = admin.submit("/companies", &[("name", "Before Ltd")]).await;
        let company = location(&res).to_owned();
        let v = version(&admin.get(&format!("{company}/edit")).await.text);
        admin
            .submit(&company, &[("_version", &v), ("name", "After Ltd")])
            .await;
        let changed = admin.get("/settings/audit?action=record.updated").await;
        let rows = table_body(&changed.text, "audit");
        assert!(rows.contains("name: Before Ltd → After Ltd"), "{rows}");

        let rep = Browser::signed_in(&s, "rep@acme.example.com").await;
        assert_eq!(rep.get("/settings/audit").await.status.as_u16(), 403);
        assert!(!rep.get("/").await.text.contains("href=\"/settings/users\""));
        assert!(
            admin
                .get("/")
                .await
                .text
                .contains("href=\"/settings/users\"")
        );
    }
}

#[tokio::test]
async fn an_admin_sets_exchange_rates_and_the_board_and_home_add_up_in_the_base_currency() {
    for s in Server::each("ui settings exchange rates").await {
        let (_ws, _) = s.workspace("acme").await;
        let admin = Browser::signed_in(&s, "admin@acme.example.com").await;
        for (name, amount, currency) in [
            ("Euro deal", "1200.00", "EUR"),
            ("Dollar deal", "300", "USD"),
        ] {
            let res = admin
                .submit(
                    "/opportunities",
                    &[
                        ("name", name),
                        ("amount", amount),
                        ("amount__currency", currency),
                    ],
                )
                .await;
            assert_eq!(res.status.as_u16(), 303, "{}", res.text);
        }
        let board = admin.get("/opportunities/board").await;
        assert!(
            board.text.contains("€1,200.00") && board.text.contains("+ $300.00 (no rate)"),
            "without a rate the dollars stay apart: {}",
            board.text
        );
        assert!(board.text.contains("No exchange rate on"), "{}", board.text);
        assert!(board.text.contains("href=\"/settings/exchange-rates\""));

        let page = admin.get("/settings/exchange-rates").await;
        assert_eq!(page.status.as_u16(), 200, "{}", page.text);
        assert!(page.text.contains("No exchange rates yet."));

        // Every wrong field is named next to it, and what was typed stays.
        let res = admin
            .submit(
                "/settings/exchange-rates",
                &[
                    ("currency", "<b>"),
                    ("valid_from", "2026-02-30"),
                    ("rate", "abc"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
        for id in ["r-currency-error", "r-from-error", "r-rate-error"] {
            assert!(
                res.text.contains(&format!("id=\"{id}\"")),
                "{id}: {}",
                res.text
            );
        }
        assert!(res.text.contains("value=\"&#60;b&#62;\""), "{}", res.text);
        assert!(res.text.contains("value=\"abc\""));
        let res = admin
            .submit(
                "/settings/exchange-rates",
                &[
                    ("currency", "EUR"),
                    ("valid_from", "2000-01-01"),
                    ("rate", "1"),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), 422);
        assert!(res.text.contains("base currency"), "{}", res.text);

        // A decimal comma is read as the reader meant it.
        let res = admin
            .submit(
                "/settings/exchange-rates",
                &[
                    ("currency", "usd"),
                    ("valid_from", "2000-01-01"),
                    ("rate", "0,92"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/settings/exchange-rates?done=created");
        let page = admin.get(location(&res)).await;
        assert!(
            table_body(&page.text, "rates-now").contains("1 USD = 0.92 EUR"),
            "{}",
            page.text
        );
        assert!(table_body(&page.text, "rates").contains("USD"));

        let board = admin.get("/opportunities/board").await;
        assert!(
            board.text.contains("€1,476.00"),
            "1,200 EUR + 300 USD × 0.92: {}",
            board.text
        );
        assert!(board.text.contains("€147.60"), "weighted at 10 %");
        assert!(!board.text.contains("(no rate)"));
        assert!(!board.text.contains("No exchange rate on"));
        let home = admin.get("/").await;
        assert!(home.text.contains("€1,476.00"), "{}", home.text);

        // Removing the rate leaves the dollars apart again.
        let res = admin
            .submit(
                "/settings/exchange-rates/delete",
                &[("currency", "USD"), ("valid_from", "2000-01-01")],
            )
            .await;
        assert_eq!(location(&res), "/settings/exchange-rates?done=deleted");
        let board = admin.get("/opportunities/board").await;
        assert!(board.text.contains("+ $300.00 (no rate)"), "{}", board.text);
        let res = admin
            .submit(
                "/settings/exchange-rates/delete",
                &[("currency", "USD"), ("valid_from", "2000-01-01")],
            )
            .await;
        assert_eq!(res.status.as_u16(), 404);
    }
}
