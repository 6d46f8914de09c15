use rapport_app::AppError;
use rapport_app::analytics::{self, FitInput, Horizon, PredictionSort};
use rapport_app::records;
use rapport_app::transactions::{self, ImportFormat, ImportOptions};
use rapport_core::Role;
use rapport_core::object::ObjectType;
use rapport_core::policy::Forbidden;
use rapport_store::orders::{ContactKey, CustomerType};
use serde_json::json;

use crate::support::{Env, read_only};

const CDNOW: &[u8] = include_bytes!("../../../../testdata/CDNOW_sample.txt");

fn day(s: &str) -> time::Date {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

fn cdnow() -> ImportOptions {
    ImportOptions {
        format: ImportFormat::Cdnow,
        ..ImportOptions::default()
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

#[tokio::test]
async fn the_cdnow_sample_imported_and_fitted_gives_the_published_bgnbd_parameters() {
    for env in Env::each("analytics cdnow").await {
        let (_, admin) = env.workspace("shop").await;
        let report = transactions::import(&env.app, &admin, CDNOW, &cdnow(), &mut |_| {})
            .await
            .unwrap();
        assert_eq!(
            (
                report.rows,
                report.imported,
                report.contacts_created,
                report.bad_rows
            ),
            (6919, 6919, 2357, 0),
            "{}: {report:?}",
            env.backend()
        );
        assert!(report.committed);
        let fit = analytics::fit(
            &env.app,
            &admin,
            &FitInput {
                customer: CustomerType::Contact,
                calibration_end: Some(day("1997-09-30")),
            },
            &mut |_| {},
        )
        .await
        .unwrap();
        assert_eq!(fit.customers, 2357, "{}", env.backend());
        let bg = fit.models.iter().find(|m| m.kind == "bgnbd").unwrap();
        let p = &bg.params;
        assert_eq!(
            ["r", "alpha", "a", "b"]
                .map(|k| &p[k])
                .map(|v| round(v.as_f64().unwrap(), 3)),
            [0.243, 4.414, 0.793, 2.426],
            "{}",
            env.backend()
        );
        assert_eq!(round(bg.log_likelihood.unwrap(), 1), -9582.4);
        let pn = fit.models.iter().find(|m| m.kind == "paretonbd").unwrap();
        assert_eq!(round(pn.params["r"].as_f64().unwrap(), 3), 0.553);
        let gg = fit.models.iter().find(|m| m.kind == "gammagamma").unwrap();
        assert_eq!(gg.customers, 946);
        assert_eq!(round(gg.params["p"].as_f64().unwrap(), 2), 6.25);

        // Predictions come from the stored fit, best CLV first.
        let preds = analytics::predictions(
            &env.app,
            &admin,
            CustomerType::Contact,
            &Horizon::default(),
            PredictionSort::Clv,
            0,
            Some(10),
        )
        .await
        .unwrap();
        assert_eq!((preds.page.total, preds.page.items.len()), (2357, 10));
        let clvs: Vec<f64> = preds.page.items.iter().map(|p| p.clv.unwrap()).collect();
        assert!(clvs.windows(2).all(|w| w[0] >= w[1]), "{clvs:?}");

        let rfm = analytics::rfm(&env.app, &admin, CustomerType::Contact, None, None, 0, None)
            .await
            .unwrap();
        assert_eq!(rfm.customers, 2357);
        assert_eq!(rfm.segments.values().sum::<usize>(), 2357);

        let cohorts = analytics::cohorts(&env.app, &admin, CustomerType::Contact, None)
            .await
            .unwrap();
        assert_eq!(
            cohorts
                .iter()
                .map(|c| c.cohort.as_str())
                .collect::<Vec<_>>(),
            ["1997-01", "1997-02", "1997-03"]
        );
        assert_eq!(cohorts.iter().map(|c| c.size).sum::<u32>(), 2357);

        let churn = analytics::churn(
            &env.app,
            &admin,
            CustomerType::Contact,
            Some(day("1997-09-30")),
            Some(day("1998-06-30")),
            0,
            Some(5),
        )
        .await
        .unwrap();
        assert!(churn.evaluation.auc > 0.7, "{}", churn.evaluation.auc);

        // The best customer's own page shows the same figures as the ranking.
        let best = &preds.page.items[0];
        let own = analytics::record_analytics(
            &env.app,
            &admin,
            ObjectType::Contact,
            best.customer_id,
            &Horizon::default(),
        )
        .await
        .unwrap();
        assert_eq!(own.prediction.as_ref(), Some(best));
        assert!(own.rfm.is_some());
    }
}

#[tokio::test]
async fn an_import_with_a_bad_row_keeps_nothing_and_names_line_and_column() {
    for env in Env::each("analytics bad rows").await {
        let (ws, admin) = env.workspace("shop").await;
        let csv = "customer,date,amount\nc1,2024-01-02,10.00\nc2,2024-13-01,5\nc3,2024-01-03,-1\n";
        let report = transactions::import(
            &env.app,
            &admin,
            csv.as_bytes(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .await
        .unwrap();
        assert!(!report.committed);
        assert_eq!(report.bad_rows, 2);
        let at: Vec<(u64, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(at, [(3, "date"), (4, "amount")]);
        let mut c = env.app.db.read().await.unwrap();
        assert_eq!(rapport_store::orders::count(&mut c, ws).await.unwrap(), 0);
        drop(c);

        let skipping = ImportOptions {
            skip_bad_rows: true,
            ..ImportOptions::default()
        };
        let report = transactions::import(&env.app, &admin, csv.as_bytes(), &skipping, &mut |_| {})
            .await
            .unwrap();
        assert!(report.committed);
        assert_eq!((report.imported, report.contacts_created), (1, 1));
    }
}

#[tokio::test]
async fn imports_match_existing_contacts_by_email_and_refuse_repeated_order_ids() {
    for env in Env::each("analytics by email").await {
        let (ws, admin) = env.workspace("shop").await;
        let body = json!({"first_name": "Ada", "emails": ["Ada@Example.com"]});
        let ada = records::create(
            &env.app,
            &admin,
            ObjectType::Contact,
            body.as_object().unwrap(),
        )
        .await
        .unwrap();
        let by_email = ImportOptions {
            customer_key: ContactKey::Email,
            date_format: Some("%d/%m/%Y".into()),
            ..ImportOptions::default()
        };
        let csv = "Customer,Date,Amount,Order_ID\nada@example.com,02/01/2024,10.50,A1\nbob@example.com,03/01/2024,3,A2\n";
        let report = transactions::import(&env.app, &admin, csv.as_bytes(), &by_email, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(
            (report.imported, report.contacts_created),
            (2, 1),
            "{report:?}"
        );
        let again = transactions::import(&env.app, &admin, csv.as_bytes(), &by_email, &mut |_| {})
            .await
            .unwrap();
        assert!(!again.committed);
        assert_eq!(again.errors[0].column, "order_id");
        let own = analytics::record_analytics(
            &env.app,
            &admin,
            ObjectType::Contact,
            ada.id,
            &Horizon::default(),
        )
        .await
        .unwrap();
        assert_eq!(own.orders, 1);
        let mut c = env.app.db.read().await.unwrap();
        assert_eq!(rapport_store::orders::count(&mut c, ws).await.unwrap(), 2);
    }
}

#[tokio::test]
async fn reps_cannot_import_or_read_workspace_analytics_nor_figures_of_hidden_contacts() {
    for env in Env::each("analytics policy").await {
        let (ws, admin) = env.workspace("shop").await;
        let rep = env.user(ws, "rep@shop.example", Role::Rep).await;
        let csv = "customer,date,amount\nc1,2024-01-02,10.00\n";
        let refused = transactions::import(
            &env.app,
            &rep,
            csv.as_bytes(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(Forbidden::AdminOnly))),
            "{refused:?}"
        );
        transactions::import(
            &env.app,
            &admin,
            csv.as_bytes(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .await
        .unwrap();
        let cohorts = analytics::cohorts(&env.app, &rep, CustomerType::Contact, None).await;
        assert!(
            matches!(cohorts, Err(AppError::Forbidden(_))),
            "{cohorts:?}"
        );
        let fit = analytics::fit(
            &env.app,
            &read_only(&admin),
            &FitInput {
                customer: CustomerType::Contact,
                calibration_end: None,
            },
            &mut |_| {},
        )
        .await;
        assert!(matches!(fit, Err(AppError::Forbidden(_))), "{fit:?}");
        // A private contact of someone else is not found for the rep.
        let private = records::create(
            &env.app,
            &admin,
            ObjectType::Contact,
            json!({"last_name": "Hidden", "visibility": "private"})
                .as_object()
                .unwrap(),
        )
        .await
        .unwrap();
        let hidden = analytics::record_analytics(
            &env.app,
            &rep,
            ObjectType::Contact,
            private.id,
            &Horizon::default(),
        )
        .await;
        assert!(matches!(hidden, Err(AppError::NotFound)), "{hidden:?}");
    }
}

#[tokio::test]
async fn bad_analytics_parameters_are_refused_naming_the_parameter() {
    for env in Env::each("analytics bad input").await {
        let (_, admin) = env.workspace("shop").await;
        let none = analytics::fit(
            &env.app,
            &admin,
            &FitInput {
                customer: CustomerType::Contact,
                calibration_end: None,
            },
            &mut |_| {},
        )
        .await;
        assert!(
            matches!(none, Err(AppError::Invalid(ref e)) if e[0].field == "transactions"),
            "{none:?}"
        );
        transactions::import(&env.app, &admin, CDNOW, &cdnow(), &mut |_| {})
            .await
            .unwrap();
        let late = analytics::fit(
            &env.app,
            &admin,
            &FitInput {
                customer: CustomerType::Contact,
                calibration_end: Some(day("1999-01-01")),
            },
            &mut |_| {},
        )
        .await;
        assert!(
            matches!(late, Err(AppError::Invalid(ref e)) if e[0].field == "calibration_end"),
            "{late:?}"
        );
        let zero = Horizon {
            weeks: 0.0,
            ..Horizon::default()
        };
        let r = analytics::predictions(
            &env.app,
            &admin,
            CustomerType::Contact,
            &zero,
            PredictionSort::Clv,
            0,
            None,
        )
        .await;
        assert!(
            matches!(r, Err(AppError::Invalid(ref e)) if e[0].field == "horizon_weeks"),
            "{r:?}"
        );
        let unfitted = analytics::predictions(
            &env.app,
            &admin,
            CustomerType::Company,
            &Horizon::default(),
            PredictionSort::Clv,
            0,
            None,
        )
        .await;
        assert!(
            matches!(
                unfitted,
                Err(AppError::Conflict {
                    code: "no_model",
                    ..
                })
            ),
            "{unfitted:?}"
        );
    }
}

#[tokio::test]
async fn orders_in_other_currencies_count_at_the_rate_of_their_day_and_without_one_are_left_out() {
    use rapport_app::exchange_rates::{self, RateInput};
    for env in Env::each("analytics in the base currency").await {
        let (_ws, admin) = env.workspace("shop").await;
        let csv = "customer,date,amount,currency\n\
                   c1,2024-01-02,100.00,EUR\n\
                   c1,2024-03-01,100.00,USD\n\
                   c2,2024-02-01,50.00,USD\n\
                   c2,2024-02-10,1000,JPY\n";
        let report = transactions::import(
            &env.app,
            &admin,
            csv.as_bytes(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .await
        .unwrap();
        assert_eq!(report.imported, 4, "{report:?}");
        let rfm = || {
            analytics::rfm(
                &env.app,
                &admin,
                CustomerType::Contact,
                Some(day("2024-06-30")),
                None,
                0,
                None,
            )
        };
        let before = rfm().await.unwrap();
        assert_eq!(
            before.customers, 1,
            "only c1's euro order counts without rates"
        );
        assert_eq!(before.page.items[0].monetary, 100.0);

        exchange_rates::put(
            &env.app,
            &admin,
            &RateInput {
                currency: "USD".into(),
                valid_from: "2024-02-15".into(),
                rate: "0.9".into(),
            },
        )
        .await
        .unwrap();
        let after = rfm().await.unwrap();
        // c1's dollars (1 March) convert at 0.9; c2's (1 February) came before the first
        // USD rate and its yen have none: c2 has nothing that counts.
        assert_eq!(after.customers, 1, "{}", env.backend());
        let c1 = &after.page.items[0];
        assert_eq!((c1.frequency, c1.monetary), (2, 190.0), "{}", env.backend());
        let orders_of = |external: &'static str| {
            let app = &env.app;
            let admin = &admin;
            async move {
                let found = records::list(
                    app,
                    admin,
                    ObjectType::Contact,
                    &[("filter[external_id][eq]".to_owned(), external.to_owned())],
                )
                .await
                .unwrap();
                let id = found.items[0]["id"].as_str().unwrap().parse().unwrap();
                analytics::record_analytics(
                    app,
                    admin,
                    ObjectType::Contact,
                    id,
                    &Horizon::default(),
                )
                .await
                .unwrap()
                .orders
            }
        };
        assert_eq!(orders_of("c1").await, 2);
        assert_eq!(orders_of("c2").await, 0);
    }
}
