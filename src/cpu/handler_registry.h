// Each handlers_*.cpp file registers its opcodes into the flat table through one of these.
#pragma once

#include "cpu/execution_context.h"

namespace pc386 {

void register_alu_handlers(Handler* table);
void register_shift_handlers(Handler* table);
void register_bcd_bit_handlers(Handler* table);
void register_move_handlers(Handler* table);
void register_control_handlers(Handler* table);
void register_string_handlers(Handler* table);
void register_system_handlers(Handler* table);
void register_486_handlers(Handler* table);  // each one #UD unless the model is the 486

uint32_t inc_dec_value(ExecutionContext& c, unsigned size, uint32_t v, bool dec);

// Handlers specialised for one record's form (record_handler), or nullptr: the table's serves.
Handler alu_form_handler(const DecodedInsn& d);
Handler move_form_handler(const DecodedInsn& d);
Handler shift_form_handler(const DecodedInsn& d);
Handler control_form_handler(const DecodedInsn& d);

}  // namespace pc386
