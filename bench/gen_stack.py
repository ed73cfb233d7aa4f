#!/usr/bin/env python3
"""Generates the 10,000-resource benchmark stack: 100 module files x 100
resources, instantiated once each across two regions, with references
inside each module (vpc -> subnets -> security group chain) and across
modules (module k's input is module k-1's output).

usage: bench/gen_stack.py OUT_DIR [--modules 100] [--resources 100]
"""
import argparse
import os


def module_text(k, n):
    lines = [
        f"# generated module {k}",
        "inputs:",
        "  cidr: {type: string}",
        "  peer_vpc: {type: string, default: none}",
        "resources:",
        "  vpc:",
        "    type: aws_vpc",
        "    cidr_block: ${var.cidr}",
        "    tags: {Name: \"vpc-%d-${region}\"}" % k,
    ]
    subnets = (n - 1) // 2
    for i in range(subnets):
        lines += [
            f"  subnet_{i}:",
            "    type: aws_subnet",
            "    vpc_id: ${vpc.id}",
            f"    cidr_block: ${{cidrsubnet(var.cidr, 8, {i})}}",
            f"    availability_zone: ${{region}}{'abc'[i % 3]}",
        ]
    for j in range(n - 1 - subnets):
        prev = f"sg_{j - 1}.id" if j > 0 else "var.peer_vpc"
        lines += [
            f"  sg_{j}:",
            "    type: aws_security_group",
            "    vpc_id: ${vpc.id}",
            f"    name: sg-{k}-{j}",
            f"    description: \"after ${{{prev}}} in subnet ${{subnet_{j % subnets}.id}}\"",
        ]
    lines += ["outputs:", "  vpc_id: ${vpc.id}", f"  last_sg: ${{sg_{n - 2 - subnets}.id}}", ""]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--modules", type=int, default=100)
    p.add_argument("--resources", type=int, default=100)
    a = p.parse_args()
    os.makedirs(os.path.join(a.out, "modules"), exist_ok=True)
    root = ["stack: bench", "regions:", "  primary: eu-central-1", "  dr: eu-west-1", "modules:"]
    for k in range(a.modules):
        with open(os.path.join(a.out, "modules", f"m{k:03d}.yaml"), "w") as f:
            f.write(module_text(k, a.resources))
        root += [
            f"  m{k:03d}:",
            f"    source: modules/m{k:03d}.yaml",
            f"    region: {'primary' if k % 2 == 0 else 'dr'}",
            f"    inputs: {{cidr: 10.{k}.0.0/16" + (f", peer_vpc: \"${{module.m{k - 1:03d}.last_sg}}\"}}" if k else "}"),
        ]
    root += ["outputs:", f"  last: ${{module.m{a.modules - 1:03d}.last_sg}}", ""]
    with open(os.path.join(a.out, "stack.yaml"), "w") as f:
        f.write("\n".join(root))


if __name__ == "__main__":
    main()
