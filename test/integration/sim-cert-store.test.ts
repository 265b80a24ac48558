/**
 * The simulator's stored certificate (sim/cert-store.ts) is trusted only where nobody else could
 * have planted it. The tests run as root, so "another user" is simulated with modes, symlinks and
 * chown to an unused uid.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSelfSignedCertificate, type SimTls } from "../../sim/cert.js";
import { defaultCertDir, loadOrMakeCertificate } from "../../sim/cert-store.js";

const isPosix = typeof process.getuid === "function";
const OTHER_UID = 54_321;
let root: string;
let dir: string;
let planted: SimTls;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "cert-store-test-"));
  dir = join(root, "drift-monitor", "sim");
  planted = await makeSelfSignedCertificate(30);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

/** A pair someone put in the directory, with the given modes. */
function plant(certMode = 0o644, keyMode = 0o600): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(join(dir, "sim-ca.pem"), planted.cert, { mode: certMode });
  writeFileSync(join(dir, "sim-key.pem"), planted.key, { mode: keyMode });
  chmodSync(join(dir, "sim-ca.pem"), certMode);
  chmodSync(join(dir, "sim-key.pem"), keyMode);
}

describe("the simulator's stored certificate", () => {
  it("defaults to the user's cache directory, never the shared temp folder", () => {
    expect(defaultCertDir({ XDG_CACHE_HOME: "/home/u/.cache" }, "linux")).toBe("/home/u/.cache/drift-monitor/sim");
    expect(defaultCertDir({ XDG_CACHE_HOME: "relative" }, "linux")).toMatch(/\.cache\/drift-monitor\/sim$/);
    expect(defaultCertDir({}, "linux").startsWith(tmpdir())).toBe(false);
  });

  it("first run: makes the directory 0700 and a pair (key 0600); the next run reuses it", async () => {
    const first = await loadOrMakeCertificate(dir);
    expect(first).toMatchObject({ reused: false, certFile: join(dir, "sim-ca.pem"), notes: [] });
    if (isPosix) {
      expect(mode(dir)).toBe(0o700);
      expect(mode(dirname(dir))).toBe(0o700);
      expect(mode(first.keyFile)).toBe(0o600);
    }
    const second = await loadOrMakeCertificate(dir);
    expect(second).toMatchObject({ reused: true, notes: [] });
    expect(second.tls.cert).toBe(first.tls.cert);
  });

  it("reuses a pair that is the user's own and private", async () => {
    plant();
    const got = await loadOrMakeCertificate(dir);
    expect(got.reused).toBe(true);
    expect(got.tls.cert).toBe(planted.cert);
  });

  it("replaces a pair that expires within a day", async () => {
    plant();
    const got = await loadOrMakeCertificate(dir, Date.now() + 30 * 24 * 60 * 60 * 1000);
    expect(got.reused).toBe(false);
    expect(got.tls.cert).not.toBe(planted.cert);
  });

  describe.skipIf(!isPosix)("refuses what another user could have written", () => {
    it("a certificate others can write (0666): refused and regenerated", async () => {
      plant(0o666);
      const got = await loadOrMakeCertificate(dir);
      expect(got.reused).toBe(false);
      expect(got.tls.cert).not.toBe(planted.cert);
      expect(readFileSync(got.certFile, "utf8")).toBe(got.tls.cert);
      expect(mode(got.certFile)).toBe(0o644);
      expect(got.notes.join()).toMatch(/mode 0666/);
    });

    it("a key others can read: refused and regenerated", async () => {
      plant(0o644, 0o644);
      expect((await loadOrMakeCertificate(dir)).reused).toBe(false);
    });

    it("a directory others can write (0777): closed to 0700, its pair refused and regenerated", async () => {
      plant();
      chmodSync(dir, 0o777);
      const got = await loadOrMakeCertificate(dir);
      expect(got.reused).toBe(false);
      expect(got.certFile).toBe(join(dir, "sim-ca.pem"));
      expect(got.tls.cert).not.toBe(planted.cert);
      expect(mode(dir)).toBe(0o700);
      expect(got.notes.join()).toMatch(/mode 0777/);
    });

    it("a symlinked certificate: refused, the link replaced by a file, its target untouched", async () => {
      plant();
      const target = join(root, "elsewhere.pem");
      writeFileSync(target, planted.cert, { mode: 0o644 });
      rmSync(join(dir, "sim-ca.pem"));
      symlinkSync(target, join(dir, "sim-ca.pem"));
      const got = await loadOrMakeCertificate(dir);
      expect(got.reused).toBe(false);
      expect(got.notes.join()).toMatch(/symbolic link/);
      expect(lstatSync(got.certFile).isSymbolicLink()).toBe(false);
      expect(readFileSync(target, "utf8")).toBe(planted.cert);
    });

    it("a certificate owned by another user: refused and regenerated", async () => {
      plant();
      chownSync(join(dir, "sim-ca.pem"), OTHER_UID, OTHER_UID);
      const got = await loadOrMakeCertificate(dir);
      expect(got.reused).toBe(false);
      expect(got.notes.join()).toMatch(new RegExp(`uid ${OTHER_UID}`));
    });

    it.each([
      ["its parent is group-writable", () => chmodSync(dirname(dir), 0o775), /drift-monitor has mode 0775/],
      ["its grandparent is world-writable without the sticky bit", () => chmodSync(root, 0o777), /mode 0777/],
      ["its parent belongs to another user", () => chownSync(dirname(dir), OTHER_UID, OTHER_UID), new RegExp(`uid ${OTHER_UID}`)],
    ])("a folder above the directory that others could change (%s): the pair there is not used; a fresh private directory is", async (_name, spoil, note) => {
      plant();
      spoil();
      const got = await loadOrMakeCertificate(dir);
      expect(got.reused).toBe(false);
      expect(got.notes.join()).toMatch(note);
      expect(dirname(got.certFile)).not.toBe(dir);
      expect(mode(dirname(got.certFile))).toBe(0o700);
      expect(readFileSync(join(dir, "sim-ca.pem"), "utf8")).toBe(planted.cert);
      rmSync(dirname(got.certFile), { recursive: true, force: true });
    });

    it("a folder above that is world-writable with the sticky bit (like /tmp) does not stop reuse: others cannot replace what is in it", async () => {
      plant();
      chmodSync(root, 0o1777);
      const got = await loadOrMakeCertificate(dir);
      expect(got).toMatchObject({ reused: true, notes: [] });
    });

    it("a symlinked folder above is followed and the folders it leads to are checked", async () => {
      plant();
      const link = join(root, "via");
      symlinkSync(join(root, "drift-monitor"), link);
      expect((await loadOrMakeCertificate(join(link, "sim"))).reused).toBe(true);
      chmodSync(join(root, "drift-monitor"), 0o777);
      const got = await loadOrMakeCertificate(join(link, "sim"));
      expect(got.reused).toBe(false);
      expect(got.notes.join()).toMatch(/drift-monitor has mode 0777/);
      rmSync(dirname(got.certFile), { recursive: true, force: true });
    });

    it("a directory owned by another user, or a symlinked one: not used; a fresh private directory is", async () => {
      plant();
      chownSync(dir, OTHER_UID, OTHER_UID);
      const got = await loadOrMakeCertificate(dir);
      expect(got.reused).toBe(false);
      expect(dirname(got.certFile)).not.toBe(dir);
      expect(mode(dirname(got.certFile))).toBe(0o700);
      expect(readFileSync(join(dir, "sim-ca.pem"), "utf8")).toBe(planted.cert);
      rmSync(dirname(got.certFile), { recursive: true, force: true });

      const link = join(root, "linked");
      symlinkSync(dir, link);
      const viaLink = await loadOrMakeCertificate(link);
      expect(viaLink.notes.join()).toMatch(/symbolic link/);
      expect(dirname(viaLink.certFile).startsWith(root)).toBe(false);
      rmSync(dirname(viaLink.certFile), { recursive: true, force: true });
    });
  });
});
