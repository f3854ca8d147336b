// `npm run bench`: the package against the floor, side by side in one process; prints a table, writes bench/results.json.
//   npm run bench -- --only=sign-pem,pay-loopback   run some cases
//   npm run bench -- --profile                      profile every case's package side, not only the missed ones
//   npm run bench -- --no-profile                   never profile
//   npm run bench -- --calls=20000                  fewer pay() calls in the memory case (reported as such)
//   npm run bench -- --only=reports-read,reconcile-stream --report-rows=100000   the report rows on a smaller file (default 1,000,000 rows)
//   npm run bench -- --smoke --out=/tmp/r.json      every case once, tiny rounds: proves the bench runs (test/bench)
// It measures the built package (dist/, rebuilt first when older than src/), as users run it; AMS_BENCH_DIST=<dir>
// names another build.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import '../test/setup/no-proxy-env';
import type { CaseResult } from './case';
import { coldImportCase, dependencyImportCosts } from './cold-import';
import { coldRequireCase, coldStartCases, firstPayCase } from './cold-start';
import { DIST, distUrl, ensureDist } from './dist';
import { smoke } from './harness';
import { importOverheadCases } from './import-overhead';
import { inboxAckCase } from './inbox';
import { jsrsasignSign, jsrsasignVerify } from './jsrsasign';
import { startLoopback, type Loopback } from './loopback';
import { loopbackMemory, payMemory } from './memory';
import { verifyNotificationCases } from './notifications';
import { axiosVsHttp, payConcurrent, payLoopbackSequential, pipelineWithoutHttp, rawConcurrent } from './pay';
import { printSummary, profileColdImport, profileInProcess, type ProfileSummary } from './profile';
import { reconcileStream, reportsRead } from './reports';
import { sessionVsPay } from './session';
import { signBase64String, signKeyObject, signPemString } from './signing';
import { packageSideWorkload } from './workloads';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const only = flag('only')?.split(',');
const profileAll = args.includes('--profile');
const profileNever = args.includes('--no-profile');
const calls = Number(flag('calls') ?? 100_000);
const outFile = flag('out');
smoke.enabled = args.includes('--smoke');
const wanted = (id: string): boolean => !only || only.some((o) => id.startsWith(o));

// The judged pay() row measures the default transport going direct; a proxy in the environment would quietly turn
// it into axios through that proxy. Importing the tests' setup module clears the proxy variables, as for the tests.

// gc() without re-spawning: the flag must be set before the new context exists.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

function fmtRatio(r: CaseResult): string {
  if (r.ratio === null) return '—';
  return r.id.includes('memory') ? `${r.ratio.toFixed(2)} MB` : `${r.ratio.toFixed(r.ratio < 0.1 ? 4 : 3)}×`;
}

function fmtTarget(r: CaseResult): string {
  if (!r.target) return 'reported';
  return `${r.target.kind === 'min' ? '≥' : '≤'} ${r.target.value} ${r.target.unit}`;
}

function printTable(results: CaseResult[]): void {
  const pairs = (r: CaseResult): string => {
    const v = r.details?.['medianOfPairRatios'] ?? r.details?.['ratioOfMedians'];
    return typeof v === 'number' ? `${v.toFixed(3)}×` : '';
  };
  const rows = [
    ['case', 'compared with', 'figures (A vs B, this run)', 'ratio', 'target', 'result', 'pair-median'],
    ...results.map((r) => [r.case, r.comparedWith, r.figures ?? '', fmtRatio(r), fmtTarget(r), r.status, pairs(r)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log('');
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: CaseResult[] = [];
  const profiles: Record<string, ProfileSummary | Record<string, number>> = {};
  const push = (r: CaseResult): void => {
    results.push(r);
    log(`${r.id}: ${fmtRatio(r)} (${r.status})`);
  };
  const dist = ensureDist();
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
  const loadAtStart = load();
  log(`measuring ${DIST}${dist.built ? ' (built now)' : ''}; load average ${loadAtStart}`);

  if (wanted('import-overhead')) {
    log('import overhead beyond zod, published and bundled (fresh node processes)…');
    for (const r of await importOverheadCases(41)) push(r);
  }
  if (wanted('cold-import')) {
    log('cold import (fresh node processes)…');
    push(coldImportCase(9));
  }
  if (wanted('cold-require')) {
    log('cold require vs a zod-only process (fresh node processes)…');
    push(coldRequireCase(9));
  }
  if (wanted('cold-start')) {
    log('cold start to a verified pay() over TLS, bundled and not, vs a hand-written zod client (fresh node processes)…');
    for (const r of await coldStartCases(11)) push(r);
  }
  if (wanted('sign')) {
    log('signRequest vs raw crypto.sign…');
    push(await signKeyObject());
    push(await signPemString());
    push(await signBase64String());
  }
  if (wanted('jsrsasign')) {
    log('jsrsasign vs node:crypto…');
    push(await jsrsasignSign());
    push(await jsrsasignVerify());
  }
  if (wanted('reports-read')) {
    log('readReport vs csv-parse alone…');
    push(await reportsRead(Number(flag('report-rows') ?? 1_000_000)));
  }
  if (wanted('reconcile-stream')) {
    log('reconcileReports vs readReport alone…');
    push(await reconcileStream(Number(flag('report-rows') ?? 1_000_000)));
  }
  if (wanted('notify')) {
    log('verifyNotification vs raw crypto.verify…');
    for (const r of await verifyNotificationCases()) push(r);
  }
  if (wanted('inbox-ack')) {
    log('notification acknowledgement: inbox vs direct handler with a 200 ms callback…');
    push(await inboxAckCase());
  }
  let lb: Loopback | undefined;
  try {
    if (['pay-loopback', 'pay-loopback-axios', 'pay-concurrent', 'pay-memory', 'pay-session-loopback', 'cold-first-pay'].some(wanted)) {
      lb = await startLoopback();
      log(`loopback gateway at ${lb.origin}`);
      if (wanted('cold-first-pay')) push(firstPayCase(lb, 7));
      if (wanted('pay-loopback')) push(await payLoopbackSequential(lb));
      if (wanted('pay-loopback-axios')) push(await payLoopbackSequential(lb, 'axios'));
      if (wanted('pay-concurrent')) push(await payConcurrent(lb));
      if (wanted('pay-session-loopback')) push(await sessionVsPay(lb));
    }
    if (lb && wanted('pay-loopback')) {
      push(await axiosVsHttp(lb));
      push(await pipelineWithoutHttp());
    }
    if (lb && wanted('pay-concurrent')) push(await rawConcurrent(lb));
    if (lb && wanted('pay-memory')) {
      log('heap check over loopback (default transport)…');
      push(await loopbackMemory(lb, { calls: Math.min(5000, calls), gc }));
      push(await loopbackMemory(lb, { calls: Math.min(5000, calls), gc }, 'axios'));
    }

    // Profiles of the package side of every missed case (or all with --profile), while the gateway is still up.
    if (!profileNever) {
      for (const r of results) {
        if (!(profileAll || r.status === 'FAIL') || r.id === 'cold-import' || r.id.startsWith('import-overhead')) continue;
        const work = await packageSideWorkload(r.id, lb);
        if (!work) continue;
        log(`profiling ${r.id}…`);
        const summary = await profileInProcess(work);
        profiles[r.id] = summary;
        printSummary(r.id, summary);
      }
      const cold = results.filter((r) => r.id === 'cold-import' || r.id.startsWith('import-overhead'));
      if (cold.length > 0 && (profileAll || cold.some((r) => r.status === 'FAIL'))) {
        log('profiling cold import (node --cpu-prof) and timing each dependency alone…');
        const summary = profileColdImport(distUrl('index'));
        profiles['cold-import'] = summary;
        printSummary("cold import('ams-cashier')", summary);
        const deps = dependencyImportCosts(['axios', 'zod', 'jsrsasign', 'decimal.js', 'yaml', 'qrcode-generator'], 5);
        profiles['cold-import-dependencies-ms'] = deps;
        console.log('    each dependency imported alone, median ms:');
        for (const [dep, ms] of Object.entries(deps)) console.log(`      ${ms.toFixed(1).padStart(7)}  ${dep}`);
      }
    }
  } finally {
    await lb?.close();
  }

  if (wanted('pay-memory')) {
    log(`${calls.toLocaleString('en')} pay() for the heap check…`);
    push(await payMemory({ calls, gc }));
  }

  printTable(results);
  const failed = results.filter((r) => r.status === 'FAIL');
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    "ratio: ratio of the two sides' medians (judged; the import overhead: median over rounds). pair-median: median of per-pair ratios (the import overhead: ratio of medians), a noise cross-check.",
  );
  console.log(`${results.length} cases, ${failed.length} missed target(s), ${seconds} s; details in ${outFile ?? 'bench/results.json'}`);
  console.log(`load average at the start ${loadAtStart}, at the end ${load()} (${availableParallelism()} cores)`);
  if (smoke.enabled)
    console.log('smoke run (--smoke): one tiny round per side, so the figures above mean nothing; it only proves every case runs.');

  const out = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    uvThreadpoolSize: Number(process.env['UV_THREADPOOL_SIZE'] ?? 4),
    seconds,
    dist,
    loadAverage: { start: loadAtStart, end: load() },
    method: 'alternating rounds A, B, A, B … after warm-up rounds; ratio of the two sides’ medians',
    cases: results,
    profiles,
  };
  writeFileSync(
    outFile ?? fileURLToPath(new URL('./results.json', import.meta.url)),
    `${JSON.stringify({ ...out, smoke: smoke.enabled }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
