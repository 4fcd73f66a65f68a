/** The places the navigation can take you. */
export type View = "chat" | "new-ticket" | "new-callback" | "history" | "setup" | "about";

export type NavItem = { view: View, label: string };

/** The uses of the app, in the order the navigation shows them. */
export const PRIMARY_VIEWS: readonly NavItem[] = [
  { view: "chat", label: "Chat" },
  { view: "new-ticket", label: "New ticket" },
  { view: "new-callback", label: "New callback" },
  { view: "history", label: "History" },
  { view: "setup", label: "Setup" },
];

export const ABOUT_VIEW: NavItem = { view: "about", label: "About" };

export const DEFAULT_VIEW: View = "chat";
