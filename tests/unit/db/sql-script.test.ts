import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitSqlScript } from "@/server/db/sql-script";

describe("splitSqlScript", () => {
  it("splits at statement ends only: not inside strings, quoted identifiers, dollar quotes or comments", () => {
    const script = `-- a comment; with a semicolon
CREATE TABLE "a;b" (x text DEFAULT 'it''s; fine');
/* block; comment */ INSERT INTO t VALUES ('x');
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.x := NULL;
  RETURN NEW;
END;
$$;
DO $body$ BEGIN PERFORM 1; END $body$;
SELECT $1::int;
`;
    expect(splitSqlScript(script)).toEqual([
      `-- a comment; with a semicolon\nCREATE TABLE "a;b" (x text DEFAULT 'it''s; fine')`,
      `/* block; comment */ INSERT INTO t VALUES ('x')`,
      `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.x := NULL;\n  RETURN NEW;\nEND;\n$$`,
      `DO $body$ BEGIN PERFORM 1; END $body$`,
      `SELECT $1::int`,
    ]);
  });

  it("drops empty pieces and a trailing comment", () => {
    expect(splitSqlScript(";;  SELECT 1;\n\n-- the end\n")).toEqual(["SELECT 1"]);
  });

  it("keeps every migration's statements whole: as many as a naive split where no body hides a semicolon", () => {
    const dir = path.join(process.cwd(), "prisma", "migrations");
    for (const name of readdirSync(dir).filter((n) => !n.endsWith(".toml"))) {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const statements = splitSqlScript(sql);
      expect(statements.length, name).toBeGreaterThan(0);
      if (!sql.includes("$$")) expect(statements.length, name).toBe(sql.split(";").filter((s) => s.replace(/--[^\n]*/g, "").trim()).length);
      // Nothing lost: the pieces joined hold every non-space character of the script but the separators.
      expect(statements.join("").replace(/[\s;]/g, ""), name).toBe(sql.replace(/[\s;]/g, ""));
    }
  });

  it("lexes as PostgreSQL does: E'' strings with backslash escapes, $ inside names, nested block comments", () => {
    expect(splitSqlScript("INSERT INTO t VALUES (E'it\\'s; here');\nSELECT 1;")).toEqual(["INSERT INTO t VALUES (E'it\\'s; here')", "SELECT 1"]);
    expect(splitSqlScript("CREATE TABLE a$b$c (x int);\nCREATE TABLE d (y int);\nCREATE TABLE e$b$ (z int);")).toEqual([
      "CREATE TABLE a$b$c (x int)",
      "CREATE TABLE d (y int)",
      "CREATE TABLE e$b$ (z int)",
    ]);
    expect(splitSqlScript("/* a /* b */ ; c */ SELECT 1;\nSELECT 2;")).toEqual(["/* a /* b */ ; c */ SELECT 1", "SELECT 2"]);
    expect(splitSqlScript("PREPARE p AS SELECT $1;\nDO $o$ BEGIN EXECUTE $i$ SELECT ';' $i$; END $o$;\nSELECT 'a''; b', \"x;y\";")).toEqual([
      "PREPARE p AS SELECT $1",
      "DO $o$ BEGIN EXECUTE $i$ SELECT ';' $i$; END $o$",
      "SELECT 'a''; b', \"x;y\"",
    ]);
  });
});
