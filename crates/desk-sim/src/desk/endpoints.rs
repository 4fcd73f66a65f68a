//! The Desk endpoints the simulator serves, and what each one demands
//! (contract table "Endpoints we use"): scopes, `orgId`, credit weight, the
//! query parameters it knows and its largest `limit`.

use axum::http::Method;

use crate::ids::is_decimal_id;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    ListOrganizations,
    ListDepartments,
    SearchContacts,
    CreateContact,
    GetContact,
    CreateTicket,
    ListTickets,
    SearchTickets,
    GetTicket,
    UpdateTicket,
    AddComment,
    AddAttachment,
    SearchArticles,
}

impl Endpoint {
    /// Which endpoint `method` and `path` (relative to `/api/v1`, or with it) name.
    pub(crate) fn classify(method: &Method, path: &str) -> Option<Self> {
        let path = path.strip_prefix("/api/v1").unwrap_or(path);
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        let endpoint = match (method.as_str(), segments.as_slice()) {
            ("GET", ["organizations"]) => Self::ListOrganizations,
            ("GET", ["departments"]) => Self::ListDepartments,
            ("GET", ["contacts", "search"]) => Self::SearchContacts,
            ("POST", ["contacts"]) => Self::CreateContact,
            ("GET", ["contacts", id]) if is_decimal_id(id) => Self::GetContact,
            ("POST", ["tickets"]) => Self::CreateTicket,
            ("GET", ["tickets"]) => Self::ListTickets,
            ("GET", ["tickets", "search"]) => Self::SearchTickets,
            ("GET", ["tickets", id]) if is_decimal_id(id) => Self::GetTicket,
            ("PATCH", ["tickets", id]) if is_decimal_id(id) => Self::UpdateTicket,
            ("POST", ["tickets", id, "comments"]) if is_decimal_id(id) => Self::AddComment,
            ("POST", ["tickets", id, "attachments"]) if is_decimal_id(id) => Self::AddAttachment,
            ("GET", ["articles", "search"]) => Self::SearchArticles,
            _ => return None,
        };
        Some(endpoint)
    }

    /// Every scope the token needs.
    pub(crate) fn scopes(self) -> &'static [&'static str] {
        match self {
            Self::ListOrganizations | Self::ListDepartments => &["Desk.basic.READ"],
            Self::SearchContacts => &["Desk.search.READ", "Desk.contacts.READ"],
            Self::CreateContact => &["Desk.contacts.CREATE"],
            Self::GetContact => &["Desk.contacts.READ"],
            Self::CreateTicket => &["Desk.tickets.CREATE"],
            Self::ListTickets | Self::GetTicket => &["Desk.tickets.READ"],
            Self::SearchTickets => &["Desk.search.READ", "Desk.tickets.READ"],
            Self::UpdateTicket | Self::AddComment | Self::AddAttachment => &["Desk.tickets.UPDATE"],
            Self::SearchArticles => &["Desk.articles.READ"],
        }
    }

    /// Only `GET /organizations` works without an `orgId` header.
    pub(crate) fn needs_org(self) -> bool {
        self != Self::ListOrganizations
    }

    /// Credits spent: 3 for a list or search, 1 otherwise.
    pub(crate) fn weight(self) -> u64 {
        match self {
            Self::ListOrganizations
            | Self::ListDepartments
            | Self::SearchContacts
            | Self::ListTickets
            | Self::SearchTickets
            | Self::SearchArticles => 3,
            _ => 1,
        }
    }

    /// Query parameters the endpoint knows; anything else is a 422.
    pub(crate) fn query_parameters(self) -> &'static [&'static str] {
        match self {
            Self::ListOrganizations | Self::CreateContact | Self::GetContact => &[],
            Self::CreateTicket | Self::UpdateTicket | Self::AddComment => &[],
            Self::ListDepartments => &["from", "limit", "isEnabled", "chatStatus"],
            Self::SearchContacts => &[
                "from",
                "limit",
                "email",
                "phone",
                "firstName",
                "lastName",
                "sortBy",
            ],
            Self::ListTickets => &[
                "from",
                "limit",
                "sortBy",
                "departmentId",
                "status",
                "priority",
                "channel",
                "include",
            ],
            Self::SearchTickets => &[
                "from",
                "limit",
                "id",
                "ticketNumber",
                "email",
                "phone",
                "subject",
                "description",
                "status",
                "priority",
                "channel",
                "departmentId",
                "contactId",
                "sortBy",
            ],
            Self::GetTicket => &["include"],
            Self::AddAttachment => &["isPublic"],
            Self::SearchArticles => &["searchStr", "from", "limit", "categoryId", "sortBy"],
        }
    }

    /// Whether `customField1`, `customField2`... are accepted.
    pub(crate) fn takes_custom_field_params(self) -> bool {
        self == Self::SearchTickets
    }

    /// The largest `limit` accepted.
    pub(crate) fn max_limit(self) -> u32 {
        match self {
            Self::ListDepartments => 200,
            Self::SearchArticles => 50,
            _ => 100,
        }
    }
}

/// `customField` followed by digits.
pub(crate) fn is_custom_field_param(name: &str) -> bool {
    name.strip_prefix("customField")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_with_or_without_the_api_prefix() {
        assert_eq!(
            Endpoint::classify(&Method::GET, "/api/v1/tickets/search"),
            Some(Endpoint::SearchTickets)
        );
        assert_eq!(
            Endpoint::classify(&Method::GET, "/tickets/1329983000000431001"),
            Some(Endpoint::GetTicket)
        );
        assert_eq!(Endpoint::classify(&Method::GET, "/tickets/abc"), None);
        assert_eq!(Endpoint::classify(&Method::DELETE, "/tickets/1"), None);
        assert_eq!(Endpoint::classify(&Method::GET, "/tickets/"), None);
        assert_eq!(Endpoint::classify(&Method::GET, "/contacts"), None);
    }

    #[test]
    fn custom_field_params_are_numbered() {
        assert!(is_custom_field_param("customField1"));
        assert!(is_custom_field_param("customField12"));
        assert!(!is_custom_field_param("customField"));
        assert!(!is_custom_field_param("customFieldX"));
    }
}
