import { schemaStatements } from "../../src/db/schema";

describe("schemaStatements", () => {
  it("substitutes the table and splits the shared file into statements", () => {
    const statements = schemaStatements("obs_2021");
    expect(statements).toHaveLength(4);
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS `obs_2021` \(/);
    expect(statements[0]).toContain("UNIQUE KEY uq_source_observed (source, observed_at)");
    expect(statements.slice(1).every((s) => s.startsWith("ALTER TABLE `obs_2021` ADD"))).toBe(true);
    expect(statements.join("\n")).not.toMatch(/\{\{|--/);
  });

  it("refuses table names that would need quoting", () => {
    expect(() => schemaStatements("a`b")).toThrow("unsafe table name");
  });
});
