//! New ids: UUIDv7, made here rather than by the database so that the same id can be used
//! in the audit entry and the event of the transaction that creates the record.

use rapport_core::Id;
use uuid::Uuid;

pub(crate) fn new_id<T: Id>() -> T {
    T::from_uuid(Uuid::now_v7())
}
