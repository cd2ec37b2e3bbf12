export type ListKind = 'party_service' | 'property' | 'grid';
export type ListItemStatus = 'open' | 'in_progress' | 'done' | 'cancelled';
