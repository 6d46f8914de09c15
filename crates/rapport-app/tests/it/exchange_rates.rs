use rapport_app::exchange_rates::{self, RateInput};
use rapport_app::{AppError, PageRequest, overview, pipelines};
use rapport_core::Role;
use rapport_core::fx::Unconverted;
use rapport_core::money::Currency;
use rapport_core::object::ObjectType;
use rapport_core::value::Date;
use serde_json::json;

use crate::support::{Env, audit_actions, make};

fn day(s: &str) -> Date {
    Date::parse("d", s).unwrap()
}

fn cur(code: &str) -> Currency {
    Currency::parse("c", code).unwrap()
}

fn input(currency: &str, valid_from: &str, rate: &str) -> RateInput {
    RateInput {
        currency: currency.into(),
        valid_from: valid_from.into(),
        rate: rate.into(),
    }
}

#[tokio::test]
async fn totals_convert_at_the_rate_in_force_on_the_day_and_keep_amounts_without_one_apart() {
    for env in Env::each("converted totals").await {
        let (_ws, admin) = env.workspace("acme").await;
        for (name, amount) in [
            ("Euro", Some(("1000.00", "EUR", 50))),
            ("Dollar", Some(("200.00", "USD", 50))),
            ("Pound", Some(("300.00", "GBP", 100))),
            ("No amount yet", None),
        ] {
            let mut body = json!({"name": name});
            if let Some((a, c, p)) = amount {
                body["amount"] = json!({"amount": a, "currency": c});
                body["probability"] = json!(p);
            }
            make(&env, &admin, ObjectType::Opportunity, body).await;
        }
        let pipeline = pipelines::list(&env.app, &admin).await.unwrap().remove(0);
        for (c, d, r) in [("USD", "2026-01-01", "0.9"), ("USD", "2026-06-01", "0.95")] {
            exchange_rates::put(&env.app, &admin, &input(c, d, r))
                .await
                .unwrap();
        }
        let figures = |on: &'static str| {
            let (app, admin) = (&env.app, &admin);
            async move {
                overview::pipeline_figures(app, admin, &[], Some(pipeline.id), day(on))
                    .await
                    .unwrap()
            }
        };
        let gbp = Unconverted {
            currency: cur("GBP"),
            count: 1,
            total_minor: 30_000,
            weighted_minor: 30_000,
        };
        let usd = Unconverted {
            currency: cur("USD"),
            count: 1,
            total_minor: 20_000,
            weighted_minor: 10_000,
        };
        // (day, total, weighted, apart) in euro cents
        let cases = [
            ("2025-12-31", 100_000, 50_000, vec![gbp, usd]),
            ("2026-03-01", 118_000, 59_000, vec![gbp]),
            ("2026-06-01", 119_000, 59_500, vec![gbp]),
            ("2030-01-01", 119_000, 59_500, vec![gbp]),
        ];
        for (on, total, weighted, apart) in cases {
            let f = figures(on).await;
            let what = format!("{} on {on}", env.backend());
            assert_eq!(f.base, cur("EUR"), "{what}");
            assert_eq!(f.day, day(on), "{what}");
            assert_eq!(
                (f.all.count, f.all.total_minor, f.all.weighted_minor),
                (4, total, weighted),
                "{what}"
            );
            assert_eq!(f.all.unconverted, apart, "{what}");
            let open = pipeline
                .stages
                .iter()
                .filter(|s| s.kind == rapport_core::pipeline::StageKind::Open)
                .count();
            assert_eq!(f.stages.len(), open, "every open stage is listed: {what}");
            assert_eq!(
                f.stages[0].figures, f.all,
                "all deals are in the first stage: {what}"
            );
            assert!(f.stages[1..].iter().all(|s| s.figures.count == 0), "{what}");
        }

        // Removing the newer rate puts the older one back in force.
        exchange_rates::delete(&env.app, &admin, cur("USD"), day("2026-06-01"))
            .await
            .unwrap();
        assert_eq!(figures("2030-01-01").await.all.total_minor, 118_000);
        assert!(matches!(
            exchange_rates::delete(&env.app, &admin, cur("USD"), day("2026-06-01")).await,
            Err(AppError::NotFound)
        ));

        // A pipeline that is not the workspace's names nothing.
        assert!(matches!(
            overview::pipeline_figures(
                &env.app,
                &admin,
                &[],
                Some(uuid::Uuid::now_v7()),
                day("2026-01-01")
            )
            .await,
            Err(AppError::NotFound)
        ));
    }
}

#[tokio::test]
async fn only_admins_set_rates_and_every_wrong_field_is_named() {
    for env in Env::each("exchange rate rules").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let manager = env.user(ws, "boss@acme.example", Role::Manager).await;
        for who in [&rep, &manager] {
            assert!(
                matches!(
                    exchange_rates::put(&env.app, who, &input("USD", "2026-01-01", "0.9")).await,
                    Err(AppError::Forbidden(_))
                ),
                "{}",
                env.backend()
            );
        }
        let Err(AppError::Invalid(errors)) =
            exchange_rates::put(&env.app, &admin, &input("usd", "2026-02-30", "0")).await
        else {
            panic!("bad input was accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["currency", "valid_from", "rate"]);
        let Err(AppError::Invalid(errors)) =
            exchange_rates::put(&env.app, &admin, &input("EUR", "2026-01-01", "1")).await
        else {
            panic!("a rate of the base currency was accepted");
        };
        assert!(errors[0].message.contains("base currency"), "{errors:?}");

        let (first, created) =
            exchange_rates::put(&env.app, &admin, &input("USD", "2026-01-01", "0.90"))
                .await
                .unwrap();
        assert!(created);
        assert_eq!(first.rate.to_string(), "0.9");
        let (again, created) =
            exchange_rates::put(&env.app, &admin, &input("USD", "2026-01-01", "0.91"))
                .await
                .unwrap();
        assert!(!created, "the same currency and day replaces the rate");
        assert_eq!(again.rate.to_string(), "0.91");
        assert_eq!(again.created_at, first.created_at);

        // A batch with one wrong row keeps nothing and names the row.
        let batch = [
            input("GBP", "2026-01-01", "1.15"),
            input("PLN", "2026-01-01", "abc"),
        ];
        let Err(AppError::Invalid(errors)) =
            exchange_rates::put_many(&env.app, &admin, &batch).await
        else {
            panic!("a bad batch was accepted");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "rates[1].rate");
        let everything = |who| {
            let app = &env.app;
            async move {
                exchange_rates::list(app, who, None, PageRequest::new(None, Some(200)))
                    .await
                    .unwrap()
                    .items
            }
        };
        assert_eq!(
            everything(&admin).await.len(),
            1,
            "nothing of the bad batch stayed"
        );
        let report = exchange_rates::put_many(
            &env.app,
            &admin,
            &[
                input("GBP", "2026-01-01", "1.15"),
                input("PLN", "2026-01-01", "0.23"),
                input("USD", "2026-01-01", "0.92"),
                input("USD", "2026-03-01", "0.93"),
            ],
        )
        .await
        .unwrap();
        assert_eq!((report.created, report.replaced), (3, 1));

        // Everyone reads them, by currency and newest first, page by page.
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = exchange_rates::list(&env.app, &rep, None, PageRequest::new(after, Some(2)))
                .await
                .unwrap();
            seen.extend(
                page.items
                    .iter()
                    .map(|r| format!("{} {} {}", r.currency, r.valid_from, r.rate)),
            );
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(
            seen,
            [
                "GBP 2026-01-01 1.15",
                "PLN 2026-01-01 0.23",
                "USD 2026-03-01 0.93",
                "USD 2026-01-01 0.92"
            ]
        );
        let usd_only = exchange_rates::list(
            &env.app,
            &rep,
            Some(cur("USD")),
            PageRequest::new(None, Some(50)),
        )
        .await
        .unwrap();
        assert_eq!(usd_only.items.len(), 2);
        let now = exchange_rates::in_force_on(&env.app, &rep, day("2026-02-01"))
            .await
            .unwrap();
        let now: Vec<String> = now
            .iter()
            .map(|r| format!("{} {}", r.currency, r.rate))
            .collect();
        assert_eq!(now, ["GBP 1.15", "PLN 0.23", "USD 0.92"]);
        let currencies = exchange_rates::currencies(&env.app, &rep).await.unwrap();
        assert_eq!(currencies, [cur("GBP"), cur("PLN"), cur("USD")]);

        // Every change is in the audit log: two single sets and one batch.
        let changes = audit_actions(&env, &admin)
            .await
            .iter()
            .filter(|a| *a == "settings.changed")
            .count();
        assert_eq!(changes, 3, "{}", env.backend());
    }
}
