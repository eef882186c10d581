/** AST of a STIX 2.1 pattern (§9). Offsets are 0-based character positions in the pattern text. */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'hex'; value: string }
  | { kind: 'binary'; value: string }
  | { kind: 'timestamp'; value: string };

/** One step after the first property name: a property (`.name` / `.'quoted'`) or a list index. */
export type PathStep = { kind: 'property'; name: string } | { kind: 'index'; index: number | '*' };

export interface ObjectPath {
  objectType: string;
  /** The first path component, i.e. a top-level property of the object. */
  property: string;
  steps: PathStep[];
  offset: number;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type ComparisonExpression =
  | { kind: 'comparison'; path: ObjectPath; negated: boolean; operator: ComparisonOperator; value: Literal | Literal[]; offset: number }
  | { kind: 'exists'; path: ObjectPath; offset: number }
  | { kind: 'comparison-and' | 'comparison-or'; left: ComparisonExpression; right: ComparisonExpression };

export type Qualifier =
  | { kind: 'within'; seconds: number }
  | { kind: 'repeats'; times: number }
  | { kind: 'start-stop'; start: string; stop: string };

export type ObservationExpression =
  | { kind: 'observation'; comparison: ComparisonExpression; offset: number }
  | { kind: 'and' | 'or' | 'followedby'; left: ObservationExpression; right: ObservationExpression }
  | { kind: 'qualified'; expression: ObservationExpression; qualifier: Qualifier };
