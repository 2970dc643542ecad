/*
 * emit_prisma.h — compiles a checked DB AST into one Prisma schema file.
 *
 * Output: a generator (prisma-client-js, previewFeatures postgresqlExtensions
 * when the design has gin indexes), a postgresql datasource (no url: Prisma 7
 * moved connection URLs out of schema files), and one model per table in
 * document order, with the file's namespace as a comment banner. Fields:
 * id String @id(map) @db.Uuid; foreign keys String @db.Uuid (+ @unique(map)
 * for one-to-one); plain columns Boolean / Int / Float / String / DateTime
 * @db.Timestamptz (uuid columns @db.Uuid); each foreign key's relation field
 * with @relation("<table>_<relation>", fields, references) so several
 * relations between two tables stay unambiguous, and the opposite field on
 * the target model (Target[] or Target? for one-to-one); @@unique, @@index
 * and gin indexes as @@index([col(ops: raw("gin_trgm_ops"))], type: Gin),
 * all with map: names identical to the SQL emitters' (emit_sql.h).
 * Descriptions become /// doc comments with control characters replaced by
 * spaces, so no text can break out of a comment.
 */
#ifndef BB_EMIT_PRISMA_H
#define BB_EMIT_PRISMA_H

#include "ast/ast_db.h"
#include "util/buf.h"
#include "util/result.h"

bb_result emit_prisma(const ast_db *db, bb_buf *out);

#endif
