export type DemandStatus = 'open' | 'claimed' | 'in_progress' | 'fulfilled' | 'closed' | 'cancelled';
export type Urgency = 'low' | 'normal' | 'high' | 'critical';
