//! Reading the audit log: admins only, and only reading — there is no path that edits or
//! deletes an entry.

use rapport_core::policy::Forbidden;
use rapport_core::{AuditId, Role};
use rapport_store::audit::{self, Entry, Filter};

use crate::error::{AppError, AppResult};
use crate::{App, Caller, PageOf, PageRequest};

pub async fn list(
    app: &App,
    caller: &Caller,
    filter: &Filter,
    page: PageRequest<AuditId>,
) -> AppResult<PageOf<Entry, AuditId>> {
    if caller.principal.role != Role::Admin {
        return Err(AppError::Forbidden(Forbidden::AdminOnly));
    }
    let mut c = app.db.read().await?;
    let rows = audit::list(&mut c, caller.principal.workspace_id, filter, page.probe()).await?;
    Ok(PageOf::from_probe(rows, page.limit, |e| e.id))
}
