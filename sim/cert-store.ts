/**
 * Where `npm run sim` keeps its certificate between runs, so an exported NODE_EXTRA_CA_CERTS stays
 * valid when the sim restarts. Whoever can write that certificate is trusted by every client that
 * exports it, so it lives in a directory only the current user can write (mode 0700, under the
 * user's own cache directory, never a fixed name in the shared temp folder), and an existing pair
 * is reused only when the directory and both files are the user's own, not symlinks, and nobody
 * else can write them (the key: nobody else can read it either). Anything else is replaced by a
 * new pair; a directory that is not the user's own is not used at all (a fresh private one is).
 * Every folder above it counts too: whoever can rename an entry in one of them can swap the whole
 * directory for their own, so each must be the user's or root's and writable by nobody else
 * (a sticky folder such as /tmp excepted: others cannot rename what is in it).
 */
import { X509Certificate } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { makeSelfSignedCertificate, type SimTls } from "./cert.js";

const CERT_FILE = "sim-ca.pem";
const KEY_FILE = "sim-key.pem";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The user's own cache directory for the sim: `$XDG_CACHE_HOME` (or ~/.cache; %LOCALAPPDATA% on Windows)/drift-monitor/sim. */
export function defaultCertDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  const xdg = env.XDG_CACHE_HOME;
  const base =
    platform === "win32"
      ? (env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"))
      : platform === "darwin"
        ? join(homedir(), "Library", "Caches")
        : xdg && isAbsolute(xdg)
          ? xdg
          : join(homedir(), ".cache");
  return join(base, "drift-monitor", "sim");
}

interface StoredCertificate {
  readonly tls: SimTls;
  readonly certFile: string;
  readonly keyFile: string;
  /** True when the pair of an earlier run was reused. */
  readonly reused: boolean;
  /** Why something found there was not trusted, for the operator. */
  readonly notes: readonly string[];
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Why `path` is not to be trusted, or null. `forbidden`: the mode bits nobody but the owner may have. */
function distrust(path: string, st: Stats | null, kind: "directory" | "file", forbidden: number): string | null {
  if (!st) return `${path} does not exist`;
  if (st.isSymbolicLink()) return `${path} is a symbolic link`;
  if (kind === "directory" ? !st.isDirectory() : !st.isFile()) return `${path} is not a ${kind}`;
  // Windows has no owners or mode bits to check: the user's profile directory is private there.
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  if (st.uid !== uid) return `${path} belongs to uid ${st.uid}, not to this user (${uid})`;
  if ((st.mode & forbidden) !== 0) return `${path} has mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}: others can write or read it`;
  return null;
}

const STICKY = 0o1000;

function distrustFolderAbove(path: string, st: Stats, uid: number): string | null {
  if (st.uid !== uid && st.uid !== 0) return `${path} belongs to uid ${st.uid}, not to this user (${uid}) or root`;
  if ((st.mode & 0o022) !== 0 && (st.mode & STICKY) === 0) return `${path} has mode ${(st.mode & 0o7777).toString(8).padStart(4, "0")}: others can write in it`;
  return null;
}

/** Why a folder above `dir` (up to the root, following symbolic links to the folders they lead to) is not to be trusted, or null. */
function distrustFoldersAbove(dir: string): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const seen = new Set<string>();
  const walk = (start: string): string | null => {
    for (let path = start; !seen.has(path); path = dirname(path)) {
      seen.add(path);
      const st = lstatOrNull(path);
      let problem: string | null = null;
      if (st?.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(path);
        } catch {
          return `${path} is a symbolic link that leads nowhere`;
        }
        problem = walk(target);
      } else if (st) problem = distrustFolderAbove(path, st, uid);
      if (problem) return problem;
    }
    return null;
  };
  return walk(dirname(resolve(dir)));
}

/** The directory, made or checked: usable as it is, fixed (its files then not trusted), or refused. */
function prepareDir(dir: string, notes: string[]): { usable: boolean; trustFiles: boolean } {
  const above = distrustFoldersAbove(dir);
  if (above) {
    notes.push(`${above}; not using ${dir}`);
    return { usable: false, trustFiles: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatOrNull(dir);
  const problem = distrust(dir, st, "directory", 0o077);
  if (!problem) return { usable: true, trustFiles: true };
  const uid = process.getuid?.();
  if (st && !st.isSymbolicLink() && st.isDirectory() && st.uid === uid) {
    // Ours, but others could have written into it: close it and trust nothing found there.
    chmodSync(dir, 0o700);
    notes.push(`${problem}; made it 0700 and replaced its certificate`);
    return { usable: true, trustFiles: false };
  }
  notes.push(`${problem}; not using it`);
  return { usable: false, trustFiles: false };
}

function readTrusted(certFile: string, keyFile: string, now: number, notes: string[]): SimTls | null {
  const problems = [distrust(certFile, lstatOrNull(certFile), "file", 0o022), distrust(keyFile, lstatOrNull(keyFile), "file", 0o077)].filter(
    (p): p is string => p !== null,
  );
  if (problems.length > 0) {
    // A missing pair is the first run, not news.
    if (lstatOrNull(certFile) || lstatOrNull(keyFile)) notes.push(`${problems.join("; ")}: made a new certificate`);
    return null;
  }
  const cert = readFileSync(certFile, "utf8");
  try {
    if (Date.parse(new X509Certificate(cert).validTo) > now + DAY_MS) return { cert, key: readFileSync(keyFile, "utf8") };
  } catch {
    notes.push(`${certFile} is not a certificate: made a new one`);
  }
  return null;
}

/** Writes a new pair: whatever is at the paths (a planted file, a symlink) is removed, never written through. */
async function writeNew(certFile: string, keyFile: string): Promise<SimTls> {
  const tls = await makeSelfSignedCertificate(365);
  for (const f of [certFile, keyFile]) if (lstatOrNull(f)) unlinkSync(f);
  // `wx`: fails rather than follow anything that appeared at the path since.
  writeFileSync(certFile, tls.cert, { mode: 0o644, flag: "wx" });
  writeFileSync(keyFile, tls.key, { mode: 0o600, flag: "wx" });
  return tls;
}

/** Reuses the pair in `dir` while it is trusted and valid for another day; else makes one (in a fresh private directory if `dir` is not the user's). */
export async function loadOrMakeCertificate(dir: string = defaultCertDir(), now: number = Date.now()): Promise<StoredCertificate> {
  const notes: string[] = [];
  const { usable, trustFiles } = prepareDir(dir, notes);
  const home = usable ? dir : mkdtempSync(join(tmpdir(), "drift-monitor-sim-"));
  const certFile = join(home, CERT_FILE);
  const keyFile = join(home, KEY_FILE);
  const existing = usable && trustFiles ? readTrusted(certFile, keyFile, now, notes) : null;
  if (existing) return { tls: existing, certFile, keyFile, reused: true, notes };
  return { tls: await writeNew(certFile, keyFile), certFile, keyFile, reused: false, notes };
}
