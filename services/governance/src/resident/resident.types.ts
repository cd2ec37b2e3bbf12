export type LabourCapacity = 'full' | 'weak' | 'none';
export type RelationToHead = 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other';
