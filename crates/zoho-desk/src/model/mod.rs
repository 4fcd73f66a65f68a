//! Typed Desk resources (contract, "Desk REST API v1"). Every struct is
//! tolerant: unknown fields are ignored, `null` and missing fields become
//! `None` (or empty), ids may be numbers or strings.

pub mod article;
pub mod contact;
pub mod department;
pub mod list;
pub mod organization;
pub(crate) mod serde_util;
pub mod ticket;

pub use article::Article;
pub use contact::{Contact, NewContact};
pub use department::Department;
pub use list::{Page, SearchResults};
pub use organization::Organization;
pub use serde_util::format_zoho_time;
pub use ticket::{
    Attachment, Comment, CommentContentType, ContactRef, InlineContact, NewComment, NewTicket,
    Priority, Ticket, TicketContact, TicketPatch, TicketSummary,
};
