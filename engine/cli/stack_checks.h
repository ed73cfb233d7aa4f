// The checks after LoadStack that need more than the engine core sees: the
// dependency cycle check (engine/graph) and AWS region names (the AWS
// endpoint metadata). Shared by validate, graph, plan, apply and destroy.
#pragma once

namespace infra::engine {
class Stack;
class Diagnostics;
}  // namespace infra::engine

namespace infra::cli {

/// Adds to `diags` an error per dependency cycle and per region whose AWS
/// name AWS does not have (at the name in the stack file, with "did you
/// mean ...?").
void CheckStack(const engine::Stack& stack, engine::Diagnostics& diags);

}  // namespace infra::cli
