// Test helper run as a Node process of its own: one fetchReports call with the JSON options of argv[2], then one JSON
// line saying how it ended. It never calls process.exit: the process ends only once nothing is left open.
import { fetchReports } from '../../src/reports';

const started = Date.now();
fetchReports(JSON.parse(process.argv[2]!) as Parameters<typeof fetchReports>[0]).then(
  (r) => console.log(JSON.stringify({ ok: true, files: r.files.length, warnings: r.warnings, ms: Date.now() - started })),
  (e: Error) => console.log(JSON.stringify({ ok: false, name: e.name, message: e.message, ms: Date.now() - started })),
);
