//! `rapport import` and `rapport export`, run as a user would run them.

use serde_json::Value;

use crate::support::Cli;

#[test]
fn import_prints_a_summary_with_rows_per_second_and_export_reads_back_the_same_rows() {
    let cli = Cli::new();
    cli.workspace("Acme", "boss@acme.example");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        "\u{feff}First name,Last name,E-mail,Description\r\nAnna,Nowak,anna@acme.example,\"two\nlines\"\nBen,=cmd,ben@acme.example,\r\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = cli.ok(&["import", path, "--object", "contacts"], "");
    assert!(
        out.contains("2 rows, 2 created") && out.contains("rows/s"),
        "{out}"
    );

    // The same file again is refused as duplicates (exit 1) and changes nothing.
    cli.fails(
        &["import", path, "--object", "contacts"],
        "",
        "exists already",
    );
    let json: Value = serde_json::from_str(&cli.ok(
        &[
            "import",
            path,
            "--object",
            "contacts",
            "--upsert",
            "--dry-run",
            "--json",
        ],
        "",
    ))
    .unwrap();
    assert_eq!(json["unchanged"], 2, "{json}");
    assert!(json["rows_per_second"].is_number());

    let to = dir.path().join("out.csv");
    cli.ok(
        &[
            "export",
            "--object",
            "contacts",
            "--filter",
            "sort=first_name&fields=first_name,last_name,description",
            "--to",
            to.to_str().unwrap(),
        ],
        "",
    );
    let csv = std::fs::read_to_string(&to).unwrap();
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some("id,first_name,last_name,description"));
    assert!(csv.contains(",Anna,Nowak,\"two\nlines\"\r\n"), "{csv}");
    assert!(csv.contains(",Ben,'=cmd,\r\n"), "{csv}");

    let vcf = cli.ok(&["export", "--object", "contacts", "--format", "vcard"], "");
    assert_eq!(vcf.matches("BEGIN:VCARD\r\n").count(), 2, "{vcf}");
}

#[test]
fn a_hostile_file_is_refused_with_the_line_and_nothing_is_imported() {
    let cli = Cli::new();
    cli.workspace("Acme", "boss@acme.example");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    let mut bytes = b"last_name\nNowak\nbad\xff\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    std::fs::write(&file, bytes).unwrap();
    cli.fails(
        &["import", file.to_str().unwrap(), "--object", "contacts"],
        "",
        "line 3",
    );
    let listed = cli.ok(&["export", "--object", "contacts"], "");
    assert_eq!(listed.lines().count(), 1, "only the header: {listed}");
    cli.fails(
        &["import", file.to_str().unwrap(), "--object", "planets"],
        "",
        "not an object",
    );
}
