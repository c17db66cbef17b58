// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';


export class PartyMember extends Schema {
    @type("string") public playerId!: string;
    @type("uint8") public oracles!: number;
    @type("uint32") public rating!: number;
    @type("uint32") public order!: number;
}
