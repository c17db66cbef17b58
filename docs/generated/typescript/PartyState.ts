// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { PartyMember } from './PartyMember'

export class PartyState extends Schema {
    @type("string") public leader!: string;
    @type({ map: PartyMember }) public members: MapSchema<PartyMember> = new MapSchema<PartyMember>();
    @type([ "string" ]) public invited: ArraySchema<string> = new ArraySchema<string>();
    @type("string") public status!: string;
    @type("string") public mode!: string;
    @type("uint8") public maxSize!: number;
}
