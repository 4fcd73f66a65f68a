/** The places the navigation can take you. */
export type View = "chat" | "new-ticket" | "setup" | "about";

export type NavItem = { view: View, label: string };

/** The three uses of the app, in the order the navigation shows them. */
export const PRIMARY_VIEWS: readonly NavItem[] = [
  { view: "chat", label: "Chat" },
  { view: "new-ticket", label: "New ticket" },
  { view: "setup", label: "Setup" },
];

export const ABOUT_VIEW: NavItem = { view: "about", label: "About" };

export const DEFAULT_VIEW: View = "chat";
