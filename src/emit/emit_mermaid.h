/*
 * emit_mermaid.h — compiles a checked DB AST into a Mermaid ER diagram.
 *
 * erDiagram with one entity per table (columns as `type name PK|FK|UK`, types
 * boolean/int/double/string/uri/uuid/datetime) and one relationship line per
 * foreign key: target ||--o{ source for a required many-to-one, |o--o{ when
 * the key is nullable, ||--o| / |o--o| for one-to-one, labelled with the
 * relation name. Names are the checked identifiers, so no quoting is needed.
 */
#ifndef BB_EMIT_MERMAID_H
#define BB_EMIT_MERMAID_H

#include "ast/ast_db.h"
#include "util/buf.h"
#include "util/result.h"

bb_result emit_mermaid(const ast_db *db, bb_buf *out);

#endif
