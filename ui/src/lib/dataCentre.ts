/** Zoho's data centres by the short code the backend reports; unknown codes are shown as they are. */
const DATA_CENTRE_NAMES: Readonly<Record<string, string>> = {
  us: "US",
  com: "US",
  eu: "EU",
  in: "India",
  au: "Australia",
  jp: "Japan",
  ca: "Canada",
  sa: "Saudi Arabia",
  uk: "UK",
  cn: "China",
};

export function dataCentreLabel(code: string): string {
  const trimmed = code.trim();
  return DATA_CENTRE_NAMES[trimmed.toLowerCase()] ?? trimmed;
}
