// Stack accessors and evaluation entry points (parsing and expansion live
// in stack_parser.cpp / stack_expander.cpp).
#include "engine/stack.h"
