// Who used the CPUs during a case: this process, the loopback gateway, and everyone else on the machine (Linux /proc).
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK)

function systemBusyTicks(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return user + nice + system + irq + softirq + steal;
  } catch {
    return undefined;
  }
}

function processTicks(pid: number): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/** Average cores busy over the window, by whom. `others` is the machine's load that is not the bench's. */
export interface CpuShare {
  seconds: number;
  machineCores: number;
  benchCores: number;
  gatewayCores: number;
  othersCores: number;
}

/** Starts a window; the returned function ends it. Undefined figures (no /proc) come back as undefined. */
export function cpuWindow(gatewayPid?: number): () => CpuShare | undefined {
  const t0 = performance.now();
  const sys0 = systemBusyTicks();
  const own0 = process.cpuUsage();
  const gw0 = gatewayPid === undefined ? 0 : (processTicks(gatewayPid) ?? 0);
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const sys1 = systemBusyTicks();
    if (sys0 === undefined || sys1 === undefined || seconds <= 0) return undefined;
    const own = process.cpuUsage(own0);
    const gw1 = gatewayPid === undefined ? 0 : (processTicks(gatewayPid) ?? gw0);
    const machine = (sys1 - sys0) / TICKS_PER_SECOND / seconds;
    const bench = (own.user + own.system) / 1e6 / seconds;
    const gateway = (gw1 - gw0) / TICKS_PER_SECOND / seconds;
    const r = (v: number): number => Math.round(v * 100) / 100;
    return {
      seconds: r(seconds),
      machineCores: r(machine),
      benchCores: r(bench),
      gatewayCores: r(gateway),
      othersCores: r(Math.max(0, machine - bench - gateway)),
    };
  };
}
