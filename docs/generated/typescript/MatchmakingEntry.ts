// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class MatchmakingEntry extends Schema {
    @type("string") public playerId!: string;
    @type("string") public mode!: string;
    @type("string") public status!: string;
    @type([ "string" ]) public party: ArraySchema<string> = new ArraySchema<string>();
    @type([ "string" ]) public missing: ArraySchema<string> = new ArraySchema<string>();
    @type("uint32") public queuedAtTick!: number;
}
