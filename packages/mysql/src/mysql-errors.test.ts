/** How server errors are named: mysql2's names, and MariaDB's own for its own numbers. */
import { describe, expect, it } from "vitest";
import { describeError, serverError, toDatabaseError } from "./mysql-errors.js";

/** An error as mysql2 raises it for a server's error packet (its `code` from MySQL's list). */
function mysql2Error(errno: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { errno, code, sqlState: "23000", sqlMessage: message });
}

describe("serverError", () => {
  const constraintFailed = mysql2Error(
    4025,
    "ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE",
    "CONSTRAINT `ck_score` failed for `app`.`users`",
  );

  it("names MariaDB's own numbers (1900 and up) by MariaDB's list on a MariaDB server", () => {
    expect(serverError(constraintFailed, "mariadb")?.code).toBe("ER_CONSTRAINT_FAILED");
    expect(describeError(constraintFailed, "mariadb")).toBe(
      "ER_CONSTRAINT_FAILED (4025): CONSTRAINT `ck_score` failed for `app`.`users`",
    );
    expect(serverError(mysql2Error(1927, "ER_X", "Connection was killed"), "mariadb")?.code).toBe(
      "ER_CONNECTION_KILLED",
    );
    expect(
      toDatabaseError(constraintFailed, "INSERT INTO users VALUES (-5)", [], undefined, "mariadb").message,
    ).toMatch(/^ER_CONSTRAINT_FAILED \(4025\): /);
  });

  it("keeps mysql2's name on MySQL, below 1900, and when the server is not known", () => {
    expect(serverError(constraintFailed, "mysql")?.code).toBe("ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE");
    expect(serverError(constraintFailed)?.code).toBe("ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE");
    const noTable = mysql2Error(1146, "ER_NO_SUCH_TABLE", "Table 'app.x' doesn't exist");
    expect(describeError(noTable, "mariadb")).toBe("ER_NO_SUCH_TABLE (1146): Table 'app.x' doesn't exist");
  });

  it("says MariaDB error for a number of MariaDB's range its list does not have", () => {
    expect(describeError(mysql2Error(4999, "ER_SOMETHING_MYSQL", "new in a later MariaDB"), "mariadb")).toBe(
      "MariaDB error (4999): new in a later MariaDB",
    );
  });
});
