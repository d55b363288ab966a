// hcl-eval reads strings as Terraform reads them in a JSON configuration file, with the HCL library
// Terraform and OpenTofu use (github.com/hashicorp/hcl/v2, its json and hclsyntax packages).
//
// Input (stdin): a JSON array of strings. For each, it builds the JSON document {"v": <string>}, parses
// it with hcl/json and evaluates the attribute's expression twice: as Terraform evaluates an argument
// (a non-nil EvalContext: the string is a template) and as it decodes the backend block or an output's
// description (a nil EvalContext: the string as written). References are bound to the text
// «<traversal>», so that a reference shows in the result instead of failing.
//
// Output (stdout): a JSON array, one object per input string:
// {"template": string|null, "templateError": string|null, "literal": string|null, "references": [string]}.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

type result struct {
	Template      *string  `json:"template"`
	TemplateError *string  `json:"templateError"`
	Literal       *string  `json:"literal"`
	References    []string `json:"references"`
}

// traversalName is `a.b.c` for a traversal of root and attribute steps.
func traversalName(t hcl.Traversal) string {
	parts := []string{}
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		default:
			parts = append(parts, "?")
		}
	}
	return strings.Join(parts, ".")
}

// tree is a nested map of traversal steps whose leaves are the «name» strings.
type tree map[string]interface{}

func (t tree) add(steps []string, leaf string) {
	if len(steps) == 1 {
		t[steps[0]] = leaf
		return
	}
	child, ok := t[steps[0]].(tree)
	if !ok {
		child = tree{}
		t[steps[0]] = child
	}
	child.add(steps[1:], leaf)
}

func (t tree) value() cty.Value {
	attrs := map[string]cty.Value{}
	for k, v := range t {
		switch x := v.(type) {
		case string:
			attrs[k] = cty.StringVal(x)
		case tree:
			attrs[k] = x.value()
		}
	}
	return cty.ObjectVal(attrs)
}

func evaluate(s string) result {
	doc, _ := json.Marshal(map[string]string{"v": s})
	file, diags := hcljson.Parse(doc, "input.json")
	if diags.HasErrors() {
		msg := diags.Error()
		return result{TemplateError: &msg, References: []string{}}
	}
	attrs, diags := file.Body.JustAttributes()
	if diags.HasErrors() {
		msg := diags.Error()
		return result{TemplateError: &msg, References: []string{}}
	}
	expr := attrs["v"].Expr
	out := result{References: []string{}}

	literal, diags := expr.Value(nil)
	if !diags.HasErrors() && literal.Type() == cty.String {
		text := literal.AsString()
		out.Literal = &text
	}

	variables := tree{}
	for _, t := range expr.Variables() {
		name := traversalName(t)
		out.References = append(out.References, name)
		variables.add(strings.Split(name, "."), "«"+name+"»")
	}
	sort.Strings(out.References)
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}}
	for k, v := range variables {
		switch x := v.(type) {
		case string:
			ctx.Variables[k] = cty.StringVal(x)
		case tree:
			ctx.Variables[k] = x.value()
		}
	}
	value, diags := expr.Value(ctx)
	if diags.HasErrors() {
		msg := diags.Error()
		out.TemplateError = &msg
	} else if value.Type() != cty.String || !value.IsKnown() || value.IsNull() {
		msg := fmt.Sprintf("not a known string: %#v", value)
		out.TemplateError = &msg
	} else {
		text := value.AsString()
		out.Template = &text
	}
	return out
}

func main() {
	var input []string
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintln(os.Stderr, "hcl-eval: stdin must be a JSON array of strings:", err)
		os.Exit(2)
	}
	results := make([]result, len(input))
	for i, s := range input {
		results[i] = evaluate(s)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "hcl-eval:", err)
		os.Exit(1)
	}
}
