// conflictGroups (assets/core.js): one supervisor row per conflict group.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../docs/assets/core.js");

const g = (id) => ({ id, name: "G " + id });
const s = (id) => ({ id, name: "S " + id });

test("conflictGroups folds a duplicate e-mail into one row, the lone Genesys user speaking for it", () => {
  const entries = [
    { status: "conflict", conflictKind: "duplicate_sj_email", genesysUser: g("dan"), relatedServiceJourneyUserIds: ["104", "105"] },
    { status: "conflict", conflictKind: "duplicate_sj_email", serviceJourneyUser: s("104"), relatedGenesysUserIds: ["dan"], relatedServiceJourneyUserIds: ["105"] },
    { status: "conflict", conflictKind: "duplicate_sj_email", serviceJourneyUser: s("105"), relatedGenesysUserIds: ["DAN"], relatedServiceJourneyUserIds: ["104"] },
    { status: "unmatched", genesysUser: g("carla") },
  ];
  const rows = core.conflictGroups(entries);
  assert.equal(rows.length, 2);
  const grp = rows[0];
  assert.equal(grp.group, true);
  assert.equal(grp.members.length, 3);
  assert.deepEqual(grp.genesysUsers.map((u) => u.id), ["dan"]);
  assert.deepEqual(grp.serviceJourneyUsers.map((u) => u.id), ["104", "105"]);
  assert.equal(grp.primary, entries[0]);
  assert.equal(grp.conflictKind, "duplicate_sj_email");
  assert.equal(rows[1], entries[3]);
});

test("conflictGroups lets the lone ServiceJourney user speak when several Genesys users compete", () => {
  const entries = [
    { status: "conflict", genesysUser: g("a"), relatedGenesysUserIds: ["b"], relatedServiceJourneyUserIds: ["7"] },
    { status: "conflict", genesysUser: g("b"), relatedGenesysUserIds: ["a"], relatedServiceJourneyUserIds: ["7"] },
    { status: "conflict", serviceJourneyUser: s("7"), relatedGenesysUserIds: ["a", "b"] },
  ];
  const rows = core.conflictGroups(entries);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].primary, entries[2]);
});

test("conflictGroups keeps separate conflicts apart, lone conflicts as they are, and ignores related users who are no conflict", () => {
  const entries = [
    { status: "conflict", serviceJourneyUser: s("1"), relatedGenesysUserIds: ["linked"] }, // names a linked user
    { status: "explicit", genesysUser: g("linked"), serviceJourneyUser: s("9") },
    { status: "conflict", serviceJourneyUser: s("2"), relatedGenesysUserIds: ["linked"] },
    { status: "conflict", genesysUser: g("x"), relatedServiceJourneyUserIds: ["3"] },
    { status: "conflict", serviceJourneyUser: s("3"), relatedGenesysUserIds: ["x"] },
  ];
  const rows = core.conflictGroups(entries);
  assert.equal(rows.length, 4);
  assert.equal(rows[0], entries[0]);
  assert.equal(rows[1], entries[1]);
  assert.equal(rows[2], entries[2]);
  assert.deepEqual(rows[3].members, [entries[3], entries[4]]);
  assert.equal(rows[3].primary, entries[3]);
});
