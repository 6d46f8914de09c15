use serde_json::Value;

use crate::support::Cli;

const CDNOW: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/CDNOW_sample.txt"
);

#[test]
fn the_cdnow_sample_imports_in_one_command_and_fits_to_the_published_values() {
    let cli = Cli::new();
    cli.workspace("Shop", "boss@shop.example");
    let out = cli.ok(&["import", "transactions", CDNOW, "--format", "cdnow"], "");
    assert!(
        out.contains("imported 6919 orders from 6919 rows, 2357 new contacts"),
        "{out}"
    );
    let fit: Value = serde_json::from_str(&cli.ok(
        &[
            "analytics",
            "fit",
            "--calibration-end",
            "1997-09-30",
            "--format",
            "json",
        ],
        "",
    ))
    .unwrap();
    let bg = fit["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "bgnbd")
        .unwrap();
    let round = |k: &str| (bg["params"][k].as_f64().unwrap() * 1000.0).round() / 1000.0;
    assert_eq!(
        [round("r"), round("alpha"), round("a"), round("b")],
        [0.243, 4.414, 0.793, 2.426]
    );
    let rfm = cli.ok(&["analytics", "rfm", "--format", "csv"], "");
    let mut lines = rfm.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,recency_days,frequency,monetary,r,f,m,segment")
    );
    assert_eq!(lines.count(), 2357);
    let table = cli.ok(&["analytics", "predict", "--limit", "3"], "");
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(table.starts_with("customer_id"), "{table}");
}

#[test]
fn a_file_with_a_bad_row_imports_nothing_and_says_where() {
    let cli = Cli::new();
    cli.workspace("Shop", "boss@shop.example");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        "customer,date,amount\nc1,2024-01-02,10\nc2,yesterday,5\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    cli.fails(&["import", "transactions", path], "", "line 3, column date");
    cli.fails(&["analytics", "rfm"], "", "no orders");
}
