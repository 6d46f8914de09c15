//! Pipelines and stage moves.

use crate::money::Money;
use crate::validation::{ErrorCode, Errors, FieldError};
use crate::value::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<StageKind> {
        match s {
            "open" => Some(StageKind::Open),
            "won" => Some(StageKind::Won),
            "lost" => Some(StageKind::Lost),
            _ => None,
        }
    }
}

/// The default pipeline every new workspace gets (DESIGN: Foundation II).
pub const DEFAULT_STAGES: &[(&str, StageKind, i64)] = &[
    ("Prospecting", StageKind::Open, 10),
    ("Qualification", StageKind::Open, 20),
    ("Proposal", StageKind::Open, 50),
    ("Negotiation", StageKind::Open, 75),
    ("Closed Won", StageKind::Won, 100),
    ("Closed Lost", StageKind::Lost, 0),
];

/// What the opportunity looks like before the move, and what the move request says.
#[derive(Clone, Debug, Default)]
pub struct MoveRequest {
    pub amount: Option<Money>,
    pub close_date: Option<Date>,
    pub lost_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MoveOutcome {
    pub amount: Option<Money>,
    pub close_date: Option<Date>,
    pub lost_reason: Option<String>,
    pub probability: i64,
}

/// Checks a move into a stage of `kind`: won needs an amount and a close date (from the
/// request or already on the opportunity), lost needs a reason. Moving back to an open stage
/// clears the lost reason.
pub fn check_move(
    kind: StageKind,
    stage_probability: i64,
    current_amount: Option<Money>,
    current_close_date: Option<Date>,
    request: &MoveRequest,
) -> Result<MoveOutcome, Vec<FieldError>> {
    let amount = request.amount.or(current_amount);
    let close_date = request.close_date.or(current_close_date);
    let reason = request
        .lost_reason
        .as_ref()
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let mut errors = Errors::new();
    match kind {
        StageKind::Won => {
            if amount.is_none_or(|a| a.minor <= 0) {
                errors.push(FieldError::new(
                    "amount",
                    ErrorCode::Required,
                    "a won opportunity needs an amount above zero",
                ));
            }
            if close_date.is_none() {
                errors.push(FieldError::new(
                    "close_date",
                    ErrorCode::Required,
                    "a won opportunity needs a close date",
                ));
            }
        }
        StageKind::Lost => {
            if reason.is_none() {
                errors.push(FieldError::new(
                    "lost_reason",
                    ErrorCode::Required,
                    "say why the opportunity was lost",
                ));
            }
        }
        StageKind::Open => {}
    }
    if request.lost_reason.is_some() && kind != StageKind::Lost {
        errors.push(FieldError::new(
            "lost_reason",
            ErrorCode::NotAllowed,
            "only a move to a lost stage takes a reason",
        ));
    }
    if let Some(r) = &reason
        && r.chars().count() > 500
    {
        errors.push(FieldError::new(
            "lost_reason",
            ErrorCode::TooLong,
            "must be at most 500 characters",
        ));
    }
    errors.into_result()?;
    Ok(MoveOutcome {
        amount,
        close_date,
        lost_reason: if kind == StageKind::Lost {
            reason
        } else {
            None
        },
        probability: stage_probability,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn eur(minor: i64) -> Money {
        Money {
            minor,
            currency: Currency::parse("c", "EUR").unwrap_or_else(|e| panic!("{e}")),
        }
    }

    #[test]
    fn move_rules_table() {
        let d = Date::from_ymd(2026, 12, 1);
        let req = |amount: Option<Money>, close: Option<Date>, reason: Option<&str>| MoveRequest {
            amount,
            close_date: close,
            lost_reason: reason.map(str::to_owned),
        };
        let codes = |r: Result<MoveOutcome, Vec<FieldError>>| -> Vec<(String, ErrorCode)> {
            r.err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect()
        };
        assert!(
            check_move(
                StageKind::Won,
                100,
                Some(eur(100)),
                d,
                &req(None, None, None)
            )
            .is_ok()
        );
        assert_eq!(
            codes(check_move(
                StageKind::Won,
                100,
                None,
                None,
                &req(None, None, None)
            )),
            vec![
                ("amount".into(), ErrorCode::Required),
                ("close_date".into(), ErrorCode::Required)
            ]
        );
        assert_eq!(
            codes(check_move(
                StageKind::Won,
                100,
                Some(eur(0)),
                d,
                &req(None, None, None)
            ))
            .len(),
            1
        );
        assert!(check_move(StageKind::Won, 100, None, None, &req(Some(eur(5)), d, None)).is_ok());
        assert_eq!(
            codes(check_move(
                StageKind::Lost,
                0,
                None,
                None,
                &req(None, None, Some("  "))
            )),
            vec![("lost_reason".into(), ErrorCode::Required)]
        );
        let lost = check_move(
            StageKind::Lost,
            0,
            None,
            None,
            &req(None, None, Some("price")),
        );
        assert_eq!(lost.ok().and_then(|o| o.lost_reason), Some("price".into()));
        assert_eq!(
            codes(check_move(
                StageKind::Open,
                50,
                None,
                None,
                &req(None, None, Some("x"))
            )),
            vec![("lost_reason".into(), ErrorCode::NotAllowed)]
        );
    }
}
