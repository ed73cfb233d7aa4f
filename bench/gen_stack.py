#!/usr/bin/env python3
"""Generates the 10,000-resource benchmark stack: 100 module files x 100
resources, instantiated once each across two regions, with references
inside each module (vpc -> subnets -> security group chain) and across
modules (module k's input is module k-1's output).

With --locals each module is written with locals, for expressions,
count/for_each over them, splats and merge() instead (same resource count).

usage: bench/gen_stack.py OUT_DIR [--modules 100] [--resources 100] [--locals]
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


def module_text_locals(k, n):
    subnets = (n - 1) // 2
    sgs = n - 1 - subnets
    return "\n".join([
        f"# generated module {k} (locals and for expressions)",
        "inputs:",
        "  cidr: {type: string}",
        "  peer_vpc: {type: string, default: none}",
        "locals:",
        "  azs: [a, b, c]",
        f"  tags: {{Module: m{k}, Region: \"${{region}}\"}}",
        f"  cidrs: '${{[for i in range({subnets}) : cidrsubnet(var.cidr, 8, i)]}}'",
        f"  sg_names: '${{{{for i in range({sgs}) : format(\"sg_%03d\", i) => \"sg-{k}-${{i}}\"}}}}'",
        "  az_of: '${[for i, c in local.cidrs : local.azs[i % length(local.azs)]]}'",
        "resources:",
        "  vpc:",
        "    type: aws_vpc",
        "    cidr_block: ${var.cidr}",
        f"    tags: '${{merge(local.tags, {{Name = \"vpc-{k}\"}})}}'",
        "  subnet:",
        "    type: aws_subnet",
        "    count: ${length(local.cidrs)}",
        "    vpc_id: ${vpc.id}",
        "    cidr_block: ${local.cidrs[count.index]}",
        "    availability_zone: ${region}${local.az_of[count.index]}",
        "    tags: ${merge(local.tags, {Name = format(\"subnet-%d\", count.index)})}",
        "  sg:",
        "    type: aws_security_group",
        "    for_each: ${local.sg_names}",
        "    vpc_id: ${vpc.id}",
        "    name: ${each.value}",
        "    description: after ${var.peer_vpc} in ${subnet[0].id} of ${upper(local.tags.Module)}",
        "outputs:",
        "  vpc_id: ${vpc.id}",
        "  subnet_ids: ${subnet[*].id}",
        "  last_sg: '${[for k, s in sg : s.id][length(sg) - 1]}'",
        "",
    ])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--modules", type=int, default=100)
    p.add_argument("--resources", type=int, default=100)
    p.add_argument("--locals", action="store_true")
    a = p.parse_args()
    os.makedirs(os.path.join(a.out, "modules"), exist_ok=True)
    root = ["stack: bench", "regions:", "  primary: eu-central-1", "  dr: eu-west-1", "modules:"]
    for k in range(a.modules):
        with open(os.path.join(a.out, "modules", f"m{k:03d}.yaml"), "w") as f:
            f.write((module_text_locals if a.locals else module_text)(k, a.resources))
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
