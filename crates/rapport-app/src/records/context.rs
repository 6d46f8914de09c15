//! What every record use case needs to know about the caller and the workspace: the viewer
//! for the access policy, field rules, custom fields and the base currency.

use rapport_core::Role;
use rapport_core::access::{FieldRule, Viewer, field_access};
use rapport_core::catalogue::ParseContext;
use rapport_core::custom::CustomFieldDef;
use rapport_core::money::Currency;
use rapport_core::object::{ObjectType, Visibility};
use rapport_core::policy::Principal;
use rapport_core::record::FieldAccess;
use rapport_core::team_tree::TeamTree;
use rapport_store::settings::CustomField;
use rapport_store::{Conn, settings, teams, workspaces};

use crate::error::{AppError, AppResult};
use crate::record_settings::FieldsForCaller;

pub struct RecordContext {
    pub object: ObjectType,
    pub principal: Principal,
    pub viewer: Viewer,
    pub rules: Vec<FieldRule>,
    pub custom: Vec<CustomFieldDef>,
    /// The definitions `custom` was made from, with the labels a page shows.
    custom_fields: Vec<CustomField>,
    pub parse: ParseContext,
    pub default_visibility: Visibility,
}

/// The viewer for a principal: managers manage their team and every team below it.
pub async fn viewer(c: &mut Conn, p: &Principal) -> AppResult<Viewer> {
    let managed_teams = match (p.role, p.team_id) {
        (Role::Manager, Some(team)) => {
            TeamTree::new(teams::edges(c, p.workspace_id).await?).subtree(team)
        }
        _ => Vec::new(),
    };
    Ok(Viewer {
        user_id: p.user_id,
        role: p.role,
        team_id: p.team_id,
        managed_teams,
    })
}

impl RecordContext {
    pub async fn load(c: &mut Conn, p: &Principal, object: ObjectType) -> AppResult<Self> {
        let ws = p.workspace_id;
        let workspace = workspaces::get(c, ws)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let base_currency = Currency::parse("base_currency", &workspace.base_currency)
            .map_err(|_| AppError::Internal)?;
        let custom_fields = settings::custom_fields(c, ws, Some(object)).await?;
        let custom = custom_fields.iter().map(CustomField::def).collect();
        Ok(Self {
            object,
            principal: p.clone(),
            viewer: viewer(c, p).await?,
            rules: settings::field_rules(c, ws, object).await?,
            custom,
            custom_fields,
            parse: ParseContext { base_currency },
            default_visibility: settings::default_visibility(c, ws, object)
                .await?
                .unwrap_or(object.default_visibility()),
        })
    }

    /// What a page of this object needs to know about its reader's fields: read with the
    /// record so that a page reads custom fields and field rules once.
    pub fn fields_for_caller(&self) -> FieldsForCaller {
        FieldsForCaller::new(
            self.custom_fields.clone(),
            self.principal.role,
            self.rules.clone(),
        )
    }

    pub fn access(&self, field: &str) -> FieldAccess {
        field_access(self.principal.role, &self.rules, field)
    }

    pub fn visible(&self, field: &str) -> bool {
        self.access(field) != FieldAccess::Hidden
            && match field.strip_prefix("custom.") {
                Some(key) => self.custom.iter().any(|d| d.key == key),
                None => true,
            }
    }
}
