// The page primitives live with the views (shared/views/html.ts); the local runtime's pages and
// the report import them from here too.
export { escapeHtml, page } from '../views/html.ts';
