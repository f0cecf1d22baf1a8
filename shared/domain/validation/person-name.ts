// A person's name as the ID card or permanent-residence card prints it: Chinese names, minority names joined by the
// middle dot (阿依古丽·买买提), and foreign names with hyphens and apostrophes (Jean-Pierre O'Brien).

/** Letters of any Han or Latin script, the middle dot, hyphen, apostrophe and spaces; starting and ending with a letter. */
export const PERSON_NAME_PATTERN =
  /^[\p{Script=Han}\p{Script=Latin}](?:[\p{Script=Han}\p{Script=Latin}·'\- ]*[\p{Script=Han}\p{Script=Latin}])?$/u;

// Maps the look-alikes IMEs and word processors produce to the one form stored: dots to 「·」, curly apostrophes to
// 「'」, dashes to 「-」, runs of spaces to one (a newline stays, for the free-text check to refuse).
export function normalizePersonName(raw: string): string {
  return raw
    .trim()
    .replace(/[.•・．]/g, '·')
    .replace(/[’‘＇`]/g, "'")
    .replace(/[‐‑‒–—－]/g, '-')
    .replace(/[ \u3000]+/g, ' ');
}
