// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { MatchmakingEntry } from './MatchmakingEntry'

export class MatchmakingState extends Schema {
    @type("uint32") public tick!: number;
    @type("uint32") public queued!: number;
    @type("uint32") public gathering!: number;
    @type({ map: "uint32" }) public modes: MapSchema<number> = new MapSchema<number>();
    @type("uint32") public matchesFormed!: number;
    @type({ map: MatchmakingEntry }) public entries: MapSchema<MatchmakingEntry> = new MapSchema<MatchmakingEntry>();
}
