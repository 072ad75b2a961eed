/* SPDX-License-Identifier: BSD-2-Clause */
/* The registers gdb sees, per architecture, and the target description
 * (target.xml) that names them: arm64 org.gnu.gdb.aarch64.core and .fpu,
 * arm32 org.gnu.gdb.arm.core and .vfp, and for both a feature of the EL1 /
 * PL1 system registers a porter looks at (translation, vectors, fault
 * syndrome), in gdb's "system" group. Numbers are positions in these
 * tables, the order g and G use. Values are little-endian, as the guests
 * run. */
#include <stdio.h>
#include <string.h>

#include "gdb_internal.h"
#include "vcpu.h"

enum reg_source {
	SRC_UC,          /* a Unicorn register id */
	SRC_SYS64,       /* arm64 system register: op0 op1 CRn CRm op2 */
	SRC_CP15,        /* arm32 CP15 register: CRn CRm opc1 opc2 is64 */
};

struct gdb_reg {
	char name[16];
	unsigned bits;
	const char *type;
	enum reg_source src;
	int uc_id;
	unsigned char enc[5];
	unsigned feature;
};

struct gdb_feature {
	const char *name;
	const char *types;   /* type definitions the feature's regs use */
	const char *group;   /* NULL: gdb's default groups */
};

struct reg_table {
	const char *arch;
	const struct gdb_feature *feature;
	unsigned nr_features;
	struct gdb_reg reg[96];
	unsigned nr;
	char xml[16384];
};

/* ---- arm64 ---- */

static const struct gdb_feature a64_features[] = {
	{ "org.gnu.gdb.aarch64.core", "", NULL },
	{ "org.gnu.gdb.aarch64.fpu",
	  "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
	  "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
	  "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
	  "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>"
	  "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>"
	  "<union id=\"aarch64v\"><field name=\"d\" type=\"v2d\"/>"
	  "<field name=\"s\" type=\"v4f\"/><field name=\"ud\" type=\"v2u\"/>"
	  "<field name=\"us\" type=\"v4u\"/><field name=\"ub\" type=\"v16u\"/>"
	  "<field name=\"q\" type=\"uint128\"/></union>", NULL },
	{ "org.xensim.aarch64.system", "", "system" },
};

/* EL1's translation, vectors and fault state. */
static const struct { const char *name; unsigned char enc[5]; int uc_id; }
a64_system[] = {
	{ "sctlr_el1", { 3, 0, 1, 0, 0 }, 0 },
	{ "tcr_el1", { 3, 0, 2, 0, 2 }, 0 },
	{ "ttbr0_el1", { 0 }, UC_ARM64_REG_TTBR0_EL1 },
	{ "ttbr1_el1", { 0 }, UC_ARM64_REG_TTBR1_EL1 },
	{ "mair_el1", { 0 }, UC_ARM64_REG_MAIR_EL1 },
	{ "vbar_el1", { 0 }, UC_ARM64_REG_VBAR_EL1 },
	{ "esr_el1", { 0 }, UC_ARM64_REG_ESR_EL1 },
	{ "far_el1", { 0 }, UC_ARM64_REG_FAR_EL1 },
	{ "elr_el1", { 0 }, UC_ARM64_REG_ELR_EL1 },
	{ "spsr_el1", { 3, 0, 4, 0, 0 }, 0 },
	{ "sp_el0", { 0 }, UC_ARM64_REG_SP_EL0 },
	{ "tpidr_el1", { 3, 0, 13, 0, 4 }, 0 },
};

static void add(struct reg_table *t, unsigned feature, const char *name,
		unsigned bits, const char *type, enum reg_source src,
		int uc_id, const unsigned char enc[5])
{
	struct gdb_reg *r = &t->reg[t->nr++];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->bits = bits;
	r->type = type;
	r->src = src;
	r->uc_id = uc_id;
	if (enc)
		memcpy(r->enc, enc, sizeof(r->enc));
	r->feature = feature;
}

static void a64_fill(struct reg_table *t)
{
	char name[16];

	for (int n = 0; n <= 30; n++) {
		snprintf(name, sizeof(name), "x%d", n);
		add(t, 0, name, 64, "int", SRC_UC, n <= 28 ?
		    UC_ARM64_REG_X0 + n : UC_ARM64_REG_X29 + (n - 29), NULL);
	}
	add(t, 0, "sp", 64, "data_ptr", SRC_UC, UC_ARM64_REG_SP, NULL);
	add(t, 0, "pc", 64, "code_ptr", SRC_UC, UC_ARM64_REG_PC, NULL);
	add(t, 0, "cpsr", 32, "int", SRC_UC, UC_ARM64_REG_PSTATE, NULL);
	for (int n = 0; n < 32; n++) {
		snprintf(name, sizeof(name), "v%d", n);
		add(t, 1, name, 128, "aarch64v", SRC_UC, UC_ARM64_REG_V0 + n,
		    NULL);
	}
	add(t, 1, "fpsr", 32, "int", SRC_UC, UC_ARM64_REG_FPSR, NULL);
	add(t, 1, "fpcr", 32, "int", SRC_UC, UC_ARM64_REG_FPCR, NULL);
	for (size_t i = 0; i < sizeof(a64_system) / sizeof(a64_system[0]); i++)
		add(t, 2, a64_system[i].name, 64, "int",
		    a64_system[i].uc_id ? SRC_UC : SRC_SYS64,
		    a64_system[i].uc_id, a64_system[i].enc);
}

/* ---- arm32 ---- */

static const struct gdb_feature a32_features[] = {
	{ "org.gnu.gdb.arm.core", "", NULL },
	{ "org.gnu.gdb.arm.vfp", "", NULL },
	{ "org.xensim.arm.system", "", "system" },
};

/* PL1's translation, vectors and fault state: CRn CRm opc1 opc2 is64. */
static const struct { const char *name; unsigned char enc[5]; } a32_system[] = {
	{ "sctlr", { 1, 0, 0, 0, 0 } },
	{ "ttbcr", { 2, 0, 0, 2, 0 } },
	{ "ttbr0", { 0, 2, 0, 0, 1 } },
	{ "ttbr1", { 0, 2, 1, 0, 1 } },
	{ "dacr", { 3, 0, 0, 0, 0 } },
	{ "dfsr", { 5, 0, 0, 0, 0 } },
	{ "ifsr", { 5, 0, 0, 1, 0 } },
	{ "dfar", { 6, 0, 0, 0, 0 } },
	{ "ifar", { 6, 0, 0, 2, 0 } },
	{ "prrr_mair0", { 10, 2, 0, 0, 0 } },
	{ "nmrr_mair1", { 10, 2, 0, 1, 0 } },
	{ "vbar", { 12, 0, 0, 0, 0 } },
};

static void a32_fill(struct reg_table *t)
{
	char name[16];

	for (int n = 0; n <= 12; n++) {
		snprintf(name, sizeof(name), "r%d", n);
		add(t, 0, name, 32, "uint32", SRC_UC, UC_ARM_REG_R0 + n, NULL);
	}
	add(t, 0, "sp", 32, "data_ptr", SRC_UC, UC_ARM_REG_SP, NULL);
	add(t, 0, "lr", 32, "int", SRC_UC, UC_ARM_REG_LR, NULL);
	add(t, 0, "pc", 32, "code_ptr", SRC_UC, UC_ARM_REG_PC, NULL);
	add(t, 0, "cpsr", 32, "int", SRC_UC, UC_ARM_REG_CPSR, NULL);
	for (int n = 0; n < 32; n++) {
		snprintf(name, sizeof(name), "d%d", n);
		add(t, 1, name, 64, "ieee_double", SRC_UC, UC_ARM_REG_D0 + n,
		    NULL);
	}
	add(t, 1, "fpscr", 32, "int", SRC_UC, UC_ARM_REG_FPSCR, NULL);
	for (size_t i = 0; i < sizeof(a32_system) / sizeof(a32_system[0]); i++)
		add(t, 2, a32_system[i].name, a32_system[i].enc[4] ? 64 : 32,
		    "int", SRC_CP15, 0, a32_system[i].enc);
	add(t, 2, "spsr", 32, "int", SRC_UC, UC_ARM_REG_SPSR, NULL);
}

/* ---- the tables and their description ---- */

static void describe(struct reg_table *t)
{
	size_t n = 0, room = sizeof(t->xml);

	n += (size_t)snprintf(t->xml + n, room - n,
		"<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM "
		"\"gdb-target.dtd\">\n<target version=\"1.0\">\n"
		"<architecture>%s</architecture>\n", t->arch);
	for (unsigned f = 0; f < t->nr_features; f++) {
		const struct gdb_feature *feat = &t->feature[f];

		n += (size_t)snprintf(t->xml + n, room - n,
				      "<feature name=\"%s\">\n%s\n", feat->name,
				      feat->types);
		for (unsigned i = 0; i < t->nr && n < room; i++) {
			const struct gdb_reg *r = &t->reg[i];

			if (r->feature != f)
				continue;
			n += (size_t)snprintf(t->xml + n, room - n,
				"<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" "
				"regnum=\"%u\"%s%s%s/>\n", r->name, r->bits,
				r->type, i, feat->group ? " group=\"" : "",
				feat->group ? feat->group : "",
				feat->group ? "\"" : "");
		}
		if (n < room)
			n += (size_t)snprintf(t->xml + n, room - n,
					      "</feature>\n");
	}
	if (n < room)
		snprintf(t->xml + n, room - n, "</target>\n");
}

static struct reg_table *table(const struct sim_vcpu *vc)
{
	static struct reg_table a64 = { .arch = "aarch64",
		.feature = a64_features, .nr_features = 3 };
	static struct reg_table a32 = { .arch = "arm",
		.feature = a32_features, .nr_features = 3 };
	struct reg_table *t = vc->arch->aarch32 ? &a32 : &a64;

	if (!t->nr) {
		if (vc->arch->aarch32)
			a32_fill(t);
		else
			a64_fill(t);
		describe(t);
	}
	return t;
}

unsigned gdb_regs_count(const struct sim_vcpu *vc)
{
	return table(vc)->nr;
}

const char *gdb_target_xml(const struct sim_vcpu *vc)
{
	return table(vc)->xml;
}

uint64_t gdb_pc(struct sim_vcpu *vc)
{
	return vc->arch->pc(vc);
}

/* ---- reading and writing one ---- */

static uint64_t sys_access(struct sim_vcpu *vc, const struct gdb_reg *r,
			   bool write, uint64_t val)
{
	if (r->src == SRC_SYS64) {
		uc_arm64_cp_reg cp = { .op0 = r->enc[0], .op1 = r->enc[1],
				       .crn = r->enc[2], .crm = r->enc[3],
				       .op2 = r->enc[4], .val = val };

		if (write)
			uc_reg_write(vc->uc, UC_ARM64_REG_CP_REG, &cp);
		else
			uc_reg_read(vc->uc, UC_ARM64_REG_CP_REG, &cp);
		return cp.val;
	} else {
		uc_arm_cp_reg cp = { .cp = 15, .crn = r->enc[0],
				     .crm = r->enc[1], .opc1 = r->enc[2],
				     .opc2 = r->enc[3], .is64 = r->enc[4],
				     .val = val };

		if (write)
			uc_reg_write(vc->uc, UC_ARM_REG_CP_REG, &cp);
		else
			uc_reg_read(vc->uc, UC_ARM_REG_CP_REG, &cp);
		return cp.val;
	}
}

int gdb_reg_read(struct sim_vcpu *vc, unsigned n, uint8_t *buf)
{
	struct reg_table *t = table(vc);
	const struct gdb_reg *r;
	uint64_t v = 0;

	if (n >= t->nr)
		return -1;
	r = &t->reg[n];
	if (r->bits == 128) {
		/* Unicorn fills 16 bytes, the low doubleword first. */
		uint64_t q[2] = { 0, 0 };

		uc_reg_read(vc->uc, r->uc_id, q);
		memcpy(buf, q, 16);
		return 16;
	}
	if (r->src == SRC_UC)
		uc_reg_read(vc->uc, r->uc_id, &v);   /* 32-bit: low half */
	else
		v = sys_access(vc, r, false, 0);
	if (r->uc_id == vc->arch->pc_reg && r->src == SRC_UC)
		v = vc->arch->pc(vc);
	memcpy(buf, &v, r->bits / 8);            /* little-endian host */
	return (int)(r->bits / 8);
}

int gdb_reg_write(struct sim_vcpu *vc, unsigned n, const uint8_t *buf)
{
	struct reg_table *t = table(vc);
	const struct gdb_reg *r;
	uint64_t v = 0;

	if (n >= t->nr)
		return -1;
	r = &t->reg[n];
	if (r->bits == 128) {
		uint64_t q[2];

		memcpy(q, buf, 16);
		uc_reg_write(vc->uc, r->uc_id, q);
		return 16;
	}
	memcpy(&v, buf, r->bits / 8);
	if (r->src != SRC_UC)
		sys_access(vc, r, true, v);
	else if (r->uc_id == vc->arch->pc_reg)
		sim_uc_set(vc, r->uc_id, vc->arch->resume_at(vc, v & ~1ull));
	else
		sim_uc_set(vc, r->uc_id, v);
	return (int)(r->bits / 8);
}
